using System;
using System.Runtime.InteropServices;

namespace Gateway.Virtual.Mqtt
{
    /// <summary>
    /// P/Invoke declarations for libmosquitto 2.x (Debian package libmosquitto1, libmosquitto.so.1), the subset the
    /// <see cref="MosquittoClient"/> wrapper uses. Signatures from mosquitto.h.
    /// </summary>
    internal static class MosquittoNative
    {
        private const string Lib = "libmosquitto.so.1";

        public const int MOSQ_ERR_SUCCESS = 0;
        public const int MOSQ_ERR_NO_CONN = 4;
        public const int MOSQ_OPT_PROTOCOL_VERSION = 1;
        public const int MOSQ_OPT_TCP_NODELAY = 11;
        public const int MQTT_PROTOCOL_V311 = 4;

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void ConnectCallback(IntPtr mosq, IntPtr obj, int rc);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void DisconnectCallback(IntPtr mosq, IntPtr obj, int rc);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void PublishCallback(IntPtr mosq, IntPtr obj, int mid);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void MessageCallback(IntPtr mosq, IntPtr obj, IntPtr message);

        /// <summary>struct mosquitto_message.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Message
        {
            public int Mid;
            public IntPtr Topic;
            public IntPtr Payload;
            public int PayloadLength;
            public int Qos;
            [MarshalAs(UnmanagedType.I1)]
            public bool Retain;
        }

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_lib_init();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_lib_version(out int major, out int minor, out int revision);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr mosquitto_new([MarshalAs(UnmanagedType.LPUTF8Str)] string id, [MarshalAs(UnmanagedType.I1)] bool cleanSession, IntPtr obj);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void mosquitto_destroy(IntPtr mosq);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_int_option(IntPtr mosq, int option, int value);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_username_pw_set(IntPtr mosq, [MarshalAs(UnmanagedType.LPUTF8Str)] string? username, [MarshalAs(UnmanagedType.LPUTF8Str)] string? password);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_tls_set(IntPtr mosq, [MarshalAs(UnmanagedType.LPUTF8Str)] string? cafile, [MarshalAs(UnmanagedType.LPUTF8Str)] string? capath,
            [MarshalAs(UnmanagedType.LPUTF8Str)] string? certfile, [MarshalAs(UnmanagedType.LPUTF8Str)] string? keyfile, IntPtr pwCallback);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_reconnect_delay_set(IntPtr mosq, uint delay, uint delayMax, [MarshalAs(UnmanagedType.I1)] bool exponential);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_connect_async(IntPtr mosq, [MarshalAs(UnmanagedType.LPUTF8Str)] string host, int port, int keepalive);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_disconnect(IntPtr mosq);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_loop_start(IntPtr mosq);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_loop_stop(IntPtr mosq, [MarshalAs(UnmanagedType.I1)] bool force);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_publish(IntPtr mosq, out int mid, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int payloadLength, byte[] payload, int qos, [MarshalAs(UnmanagedType.I1)] bool retain);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int mosquitto_subscribe(IntPtr mosq, out int mid, [MarshalAs(UnmanagedType.LPUTF8Str)] string pattern, int qos);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void mosquitto_connect_callback_set(IntPtr mosq, ConnectCallback callback);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void mosquitto_disconnect_callback_set(IntPtr mosq, DisconnectCallback callback);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void mosquitto_publish_callback_set(IntPtr mosq, PublishCallback callback);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void mosquitto_message_callback_set(IntPtr mosq, MessageCallback callback);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr mosquitto_strerror(int errorCode);

        public static string ErrorText(int rc) => Marshal.PtrToStringUTF8(mosquitto_strerror(rc)) ?? ("error " + rc);
    }
}
