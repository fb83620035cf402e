using System;
using System.IO;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gateway.Cloud.Storage
{
    /// <summary>The database engines <c>--db</c> names.</summary>
    public enum StoreEngine
    {
        /// <summary>An SQLite file.</summary>
        Sqlite,

        /// <summary>A PostgreSQL server.</summary>
        Postgres,
    }

    /// <summary>A parsed <c>--db</c> option: the engine and the file path or connection string.</summary>
    /// <param name="Engine">SQLite or PostgreSQL.</param>
    /// <param name="Target">The SQLite file path, or the PostgreSQL connection string.</param>
    public sealed record StoreSpec(StoreEngine Engine, string Target);

    /// <summary>Opens the store named by the receiver's <c>--db</c> option.</summary>
    public static partial class ReceiverStoreFactory
    {
        /// <summary>The accepted forms, for messages.</summary>
        public const string AcceptedForms = "sqlite:PATH, a plain PATH (SQLite), or postgres:Host=...;Port=...;Database=...;Username=...";

        /// <summary>
        /// Parses <c>sqlite:PATH</c>, a plain path (SQLite, the default), or <c>postgres:CONNECTION-STRING</c>
        /// (e.g. <c>postgres:Host=127.0.0.1;Port=5432;Database=gateway;Username=gateway</c>). Anything that looks like
        /// another scheme (<c>mysql:...</c>, <c>postgresql:...</c>, <c>file:...</c>) is a
        /// <see cref="ConfigurationException"/> naming the accepted forms, never an SQLite file of that name.
        /// </summary>
        public static StoreSpec Parse(string spec)
        {
            if (string.IsNullOrWhiteSpace(spec))
            {
                throw new ConfigurationException("--db is empty; use " + AcceptedForms);
            }

            if (spec.StartsWith("postgres:", StringComparison.Ordinal))
            {
                var cs = spec["postgres:".Length..];
                try
                {
                    var b = new NpgsqlConnectionStringBuilder(cs);
                    if (string.IsNullOrWhiteSpace(b.Host))
                    {
                        throw new ConfigurationException("--db postgres: the connection string names no Host (postgres:Host=...;Database=...;Username=...)");
                    }
                }
                catch (ArgumentException ex)
                {
                    throw new ConfigurationException($"--db postgres: bad connection string: {ex.Message}", ex);
                }

                return new StoreSpec(StoreEngine.Postgres, cs);
            }

            string path;
            if (spec.StartsWith("sqlite:", StringComparison.Ordinal))
            {
                path = spec["sqlite:".Length..];
            }
            else if (Scheme().Match(spec) is { Success: true } m)
            {
                throw new ConfigurationException($"--db {Redact(spec)}: unknown database scheme \"{m.Groups[1].Value}:\"; use {AcceptedForms}");
            }
            else
            {
                path = spec;
            }

            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ConfigurationException("--db sqlite: names no file; use sqlite:PATH");
            }

            return new StoreSpec(StoreEngine.Sqlite, path);
        }

        /// <summary>
        /// Opens (SQLite: creating the file if needed) the store <paramref name="spec"/> names. Configuration problems are
        /// a <see cref="ConfigurationException"/> with one line: an unknown scheme, a folder that does not exist, a file
        /// that is not a database, an unreachable or refusing PostgreSQL server. With <paramref name="mustExist"/> an
        /// SQLite file that does not exist is an error too (queries read an existing receiver database; they do not make
        /// an empty one).
        /// </summary>
        public static IReceiverStore Open(string spec, bool mustExist = false)
        {
            var parsed = Parse(spec);
            if (parsed.Engine == StoreEngine.Postgres)
            {
                try
                {
                    return new PostgresReceiverStore(parsed.Target);
                }
                catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
                {
                    throw new ConfigurationException($"--db postgres: cannot use the PostgreSQL database at {Where(parsed.Target)}: {OneLine(ex)}", ex);
                }
            }

            CheckSqlitePath(parsed.Target, mustExist);
            try
            {
                return new SqliteReceiverStore(parsed.Target);
            }
            catch (SqliteException ex)
            {
                throw new ConfigurationException($"--db sqlite:{parsed.Target}: {OneLine(ex)}", ex);
            }
        }

        /// <summary>For a SQLite spec: the file exists (when it must) and its folder does; throws <see cref="ConfigurationException"/>.</summary>
        public static void CheckSqlitePath(string path, bool mustExist)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new ConfigurationException($"--db sqlite:{path}: is a folder, not a database file");
            }

            if (mustExist && !File.Exists(full))
            {
                throw new ConfigurationException($"--db sqlite:{path}: no such database file (give the receiver's database; nothing was created)");
            }

            var dir = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
            {
                throw new ConfigurationException($"--db sqlite:{path}: the folder {dir} does not exist");
            }
        }

        private static string Where(string connectionString)
        {
            try
            {
                var b = new NpgsqlConnectionStringBuilder(connectionString);
                return $"{b.Host}:{b.Port}/{b.Database ?? b.Username}";
            }
            catch (ArgumentException)
            {
                return "?";
            }
        }

        private static string OneLine(Exception ex)
        {
            var e = ex;
            while (e.InnerException != null && e.Message.Contains("see inner exception", StringComparison.OrdinalIgnoreCase))
            {
                e = e.InnerException;
            }

            var text = e.Message.ReplaceLineEndings(" ").Trim();
            return e == ex ? text : $"{ex.Message.ReplaceLineEndings(" ").Trim()} ({text})";
        }

        // Passwords do not belong in messages: a connection string's Password=... is cut out.
        private static string Redact(string spec) => Regex.Replace(spec, "(?i)(password|pwd)=[^;]*", "$1=***");

        [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]+):")]
        private static partial Regex Scheme();
    }
}
