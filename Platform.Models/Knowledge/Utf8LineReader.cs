namespace EmotionLab.Models.Knowledge;

/// <summary>
/// Reads a stream line by line as raw UTF-8 bytes, without decoding each line to a string: the
/// ConceptNet assertions file has ~34 million lines and the importer keeps only a few percent of
/// them, so the dropped ones are inspected as bytes and never allocated. Lines end at '\n'; a
/// trailing '\r' is removed; the last line needs no '\n'. A line is valid until the next read.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, int initialBufferSize = 1 << 20)
{
    private byte[] buffer = new byte[initialBufferSize];
    private int start, end;
    private bool endOfStream;

    /// <summary>False at the end of the stream; otherwise the next line, without its line break.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCarriageReturn(buffer.AsSpan(start, newline));
                start += newline + 1;
                return true;
            }
            if (endOfStream)
            {
                if (start == end)
                {
                    line = default;
                    return false;
                }
                line = TrimCarriageReturn(buffer.AsSpan(start, end - start));
                start = end;
                return true;
            }
            Fill();
        }
    }

    // Moves the unread part to the front, grows the buffer when one line fills it, and reads more.
    private void Fill()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            (end, start) = (end - start, 0);
        }
        if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        var read = stream.Read(buffer, end, buffer.Length - end);
        if (read == 0) endOfStream = true;
        end += read;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
