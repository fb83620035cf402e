using System.Collections;

namespace Gateway.Core.Control.Config
{
    /// <summary>Every problem found in one configuration document (validation does not stop at the first).</summary>
    public sealed class ConfigErrors
    {
        private readonly ArrayList _items = new ArrayList();

        /// <summary>Number of errors collected.</summary>
        public int Count
        {
            get { return _items.Count; }
        }

        /// <summary>The error at <paramref name="index"/> (0..Count-1).</summary>
        public ConfigError this[int index]
        {
            get { return (ConfigError)_items[index]; }
        }

        /// <summary>Removes every error (to reuse the instance).</summary>
        public void Clear()
        {
            _items.Clear();
        }

        /// <summary>Records an error.</summary>
        public void Add(string path, ConfigErrorKind kind, string reason)
        {
            _items.Add(new ConfigError(path, kind, reason));
        }

        /// <summary>True when an error with exactly this path was recorded.</summary>
        public bool HasPath(string path)
        {
            for (int i = 0; i < _items.Count; i++)
            {
                if (((ConfigError)_items[i]).Path == path)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>All errors, one "path: reason" per line.</summary>
        public override string ToString()
        {
            var sb = new System.Text.StringBuilder();
            for (int i = 0; i < _items.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append('\n');
                }

                sb.Append(_items[i].ToString());
            }

            return sb.ToString();
        }
    }
}
