using System.Collections;
using Gateway.Control.Json;

namespace Gateway.Control.Config
{
    /// <summary>The validator: typed field access with ranges, collecting every error with its path.</summary>
    public static partial class ConfigParser
    {
        /// <summary>Field readers that record errors with paths and keep going.</summary>
        private sealed class Validator
        {
            public readonly ConfigErrors Errors;

            public Validator(ConfigErrors errors)
            {
                Errors = errors;
            }

            private static string Join(string parent, string name)
            {
                return parent.Length == 0 ? name : parent + "." + name;
            }

            public void CheckMembers(Hashtable obj, string path, string[] known)
            {
                foreach (object key in obj.Keys)
                {
                    var name = (string)key;
                    if (IndexOf(known, name) < 0)
                    {
                        Errors.Add(Join(path, name), ConfigErrorKind.UnknownField, "unknown field");
                    }
                }
            }

            public Hashtable Section(Hashtable parent, string name, string parentPath, bool required, string[] known)
            {
                string path = Join(parentPath, name);
                object o = parent[name];
                if (o == null)
                {
                    if (required)
                    {
                        Errors.Add(path, ConfigErrorKind.MissingField, "required section is missing");
                    }

                    return null;
                }

                var h = o as Hashtable;
                if (h == null)
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be an object");
                    return null;
                }

                CheckMembers(h, path, known);
                return h;
            }

            private bool Present(Hashtable obj, string name, string path, bool required, out object value)
            {
                value = obj[name];
                if (value == null)
                {
                    if (required)
                    {
                        Errors.Add(path, ConfigErrorKind.MissingField, "required field is missing");
                    }

                    return false;
                }

                return true;
            }

            public bool Int(Hashtable obj, string name, string parentPath, int min, int max, bool required, ref int field)
            {
                string path = Join(parentPath, name);
                object o;
                if (!Present(obj, name, path, required, out o))
                {
                    return !required;
                }

                long value;
                if (o is long)
                {
                    value = (long)o;
                }
                else if (o is double)
                {
                    double d = (double)o;
                    if (d != System.Math.Floor(d))
                    {
                        Errors.Add(path, ConfigErrorKind.WrongType, "must be an integer");
                        return false;
                    }

                    if (d < min || d > max)
                    {
                        Errors.Add(path, ConfigErrorKind.OutOfRange, RangeText(min, max));
                        return false;
                    }

                    value = (long)d;
                }
                else
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be an integer, not " + TypeName(o));
                    return false;
                }

                if (value < min || value > max)
                {
                    Errors.Add(path, ConfigErrorKind.OutOfRange, RangeText(min, max));
                    return false;
                }

                field = (int)value;
                return true;
            }

            public bool Cadence(Hashtable obj, string name, string parentPath, int min, ref int field)
            {
                string path = Join(parentPath, name);
                object o = obj[name];
                int candidate = field;
                if (o != null && (o is long || o is double))
                {
                    double d = o is long ? (long)o : (double)o;
                    if (d > GatewayConfig.MlitMaximumBaseCadenceSeconds)
                    {
                        Errors.Add(path, ConfigErrorKind.AboveMlitMaximum, "longer than the MLIT maximum of 600 s");
                        return false;
                    }
                }

                if (!Int(obj, name, parentPath, min, GatewayConfig.MlitMaximumBaseCadenceSeconds, false, ref candidate))
                {
                    return false;
                }

                field = candidate;
                return true;
            }

            public bool Number(Hashtable obj, string name, string parentPath, double min, double max, bool required, ref double field)
            {
                string path = Join(parentPath, name);
                object o;
                if (!Present(obj, name, path, required, out o))
                {
                    return false;
                }

                double d;
                if (o is long)
                {
                    d = (long)o;
                }
                else if (o is double)
                {
                    d = (double)o;
                }
                else
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be a number, not " + TypeName(o));
                    return false;
                }

                if (d < min || d > max)
                {
                    Errors.Add(path, ConfigErrorKind.OutOfRange, "must be within " + min.ToString() + ".." + max.ToString());
                    return false;
                }

                field = d;
                return true;
            }

            public bool Bool(Hashtable obj, string name, string parentPath, bool required, ref bool field)
            {
                string path = Join(parentPath, name);
                object o;
                if (!Present(obj, name, path, required, out o))
                {
                    return !required;
                }

                if (!(o is bool))
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be true or false, not " + TypeName(o));
                    return false;
                }

                field = (bool)o;
                return true;
            }

            /// <summary>The member as a string; false (with MissingField or WrongType recorded as due) otherwise.</summary>
            private bool TryString(Hashtable obj, string name, string path, bool required, out string s)
            {
                s = null;
                object o;
                if (!Present(obj, name, path, required, out o))
                {
                    return false;
                }

                s = o as string;
                if (s == null)
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be a string, not " + TypeName(o));
                    return false;
                }

                return true;
            }

            public bool Text(Hashtable obj, string name, string parentPath, int minLength, int maxLength, bool required, ref string field)
            {
                string path = Join(parentPath, name);
                string s;
                if (!TryString(obj, name, path, required, out s))
                {
                    return false;
                }

                if (s.Length < minLength || s.Length > maxLength)
                {
                    Errors.Add(path, ConfigErrorKind.OutOfRange, "length must be " + minLength.ToString() + ".." + maxLength.ToString() + " characters");
                    return false;
                }

                for (int i = 0; i < s.Length; i++)
                {
                    if (s[i] < ' ')
                    {
                        Errors.Add(path, ConfigErrorKind.InvalidValue, "control characters are not allowed");
                        return false;
                    }
                }

                field = s;
                return true;
            }

            public bool Name(Hashtable obj, string name, string parentPath, string[] allowed, bool required, ref int index)
            {
                string path = Join(parentPath, name);
                string s;
                if (!TryString(obj, name, path, required, out s))
                {
                    return false;
                }

                int i = IndexOf(allowed, s);
                if (i < 0)
                {
                    var sb = new System.Text.StringBuilder("must be one of: ");
                    for (int k = 0; k < allowed.Length; k++)
                    {
                        if (k > 0)
                        {
                            sb.Append(", ");
                        }

                        sb.Append(allowed[k]);
                    }

                    Errors.Add(path, ConfigErrorKind.InvalidValue, sb.ToString());
                    return false;
                }

                index = i;
                return true;
            }

            public void MedianCount(Hashtable obj, string parentPath, ref int field)
            {
                int n = field;
                if (Int(obj, "median_count", parentPath, 1, 15, false, ref n))
                {
                    if ((n & 1) == 0)
                    {
                        Errors.Add(Join(parentPath, "median_count"), ConfigErrorKind.InvalidValue, "must be odd (a median needs a middle value)");
                    }
                    else
                    {
                        field = n;
                    }
                }
            }

            public void MinBelowMax(bool minOk, bool maxOk, int min, int max, string parentPath)
            {
                if (minOk && maxOk && min >= max)
                {
                    Errors.Add(Join(parentPath, "max_mm"), ConfigErrorKind.Inconsistent, "must be greater than " + Join(parentPath, "min_mm") + " (" + min.ToString() + ")");
                }
            }

            public void Increasing(bool bothOk, string lowerPath, int lower, string higherPath, int higher)
            {
                if (bothOk && higher <= lower)
                {
                    Errors.Add(higherPath, ConfigErrorKind.NotIncreasing, "must be greater than " + lowerPath + " (" + lower.ToString() + " mm)");
                }
            }

            private static string RangeText(int min, int max)
            {
                return "must be within " + min.ToString() + ".." + max.ToString();
            }

            private static string TypeName(object o)
            {
                if (o is string)
                {
                    return "a string";
                }

                if (o is bool)
                {
                    return "a boolean";
                }

                if (o is Hashtable)
                {
                    return "an object";
                }

                if (o is ArrayList)
                {
                    return "an array";
                }

                if (o is JsonNull)
                {
                    return "null";
                }

                return "a number";
            }
        }
    }
}
