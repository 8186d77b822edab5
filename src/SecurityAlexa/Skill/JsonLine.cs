using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SecurityAlexa.Skill;

/// <summary>
/// One JSON log line, written with a writer and buffer kept per thread, so that a request's log and audit lines
/// do not each allocate a writer and grow a fresh buffer (issue 18: warm Launch and Help stay under 28 KB).
/// Use: <c>using var line = JsonLine.Start(); ... line.Writer ...; sink.Write(line.Finish());</c>
/// </summary>
internal ref struct JsonLine
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static bool t_busy;

    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly bool _shared;

    private JsonLine(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, bool shared)
    {
        _buffer = buffer;
        Writer = writer;
        _shared = shared;
    }

    /// <summary>The writer of this line.</summary>
    public Utf8JsonWriter Writer { get; }

    public static JsonLine Start()
    {
        // A second line begun on the same thread before the first is finished gets its own writer.
        if (t_busy)
        {
            var own = new ArrayBufferWriter<byte>(512);
            return new JsonLine(own, new Utf8JsonWriter(own), shared: false);
        }
        t_busy = true;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(2048);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        return new JsonLine(buffer, writer, shared: true);
    }

    /// <summary>The line written so far, as a string.</summary>
    public readonly string Finish()
    {
        Writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    public readonly void Dispose()
    {
        if (!_shared)
        {
            Writer.Dispose();
            return;
        }
        // A rare huge line must not stay pinned to the thread.
        if (_buffer.Capacity > 64 * 1024) { t_buffer = null; t_writer = null; }
        t_busy = false;
    }
}
