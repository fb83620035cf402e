using System.Collections;

namespace Gateway.Control.Config
{
    /// <summary>
    /// Every problem found in one configuration document (validation does not stop at the first). At most
    /// <see cref="MaxKept"/> are kept (a document of a thousand unknown members must not exhaust the heap);
    /// <see cref="Dropped"/> counts the rest.
    /// </summary>
    public sealed class ConfigErrors
    {
        /// <summary>Most errors kept.</summary>
        public const int MaxKept = 64;

        private readonly ArrayList _items = new ArrayList();

        /// <summary>Number of errors kept (at most <see cref="MaxKept"/>).</summary>
        public int Count
        {
            get { return _items.Count; }
        }

        /// <summary>Errors found beyond <see cref="MaxKept"/> and not kept.</summary>
        public int Dropped { get; private set; }

        /// <summary>Every error found, kept or not.</summary>
        public int Total
        {
            get { return _items.Count + Dropped; }
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
            Dropped = 0;
        }

        /// <summary>Records an error.</summary>
        public void Add(string path, ConfigErrorKind kind, string reason)
        {
            if (_items.Count >= MaxKept)
            {
                Dropped++;
                return;
            }

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
