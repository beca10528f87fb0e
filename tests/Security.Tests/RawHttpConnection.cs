using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ClinicCluster.Security.Tests;

/// <summary>One HTTP/1.1 response as read off the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The server announced that it closes the connection after this response.</summary>
    public bool ClosesConnection => Headers.TryGetValue("connection", out var value)
        && value.Split(',').Any(v => v.Trim().Equals("close", StringComparison.OrdinalIgnoreCase));
}

/// <summary>What became of one request on a raw connection.</summary>
public enum RawOutcome
{
    Answered,

    /// <summary>The server closed the connection without (a complete) response.</summary>
    ClosedWithoutResponse,

    /// <summary>The connection was reset.</summary>
    Reset,

    /// <summary>No response within the time allowed.</summary>
    TimedOut,
}

/// <summary>
/// A raw TCP connection to the API for what HttpClient will not send (bodies that lie about their
/// length, bare CR, pipelining) and to see exactly how the server ends a connection.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static async Task<RawHttpConnection> OpenAsync(Uri baseAddress, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, cancellationToken);
        return new RawHttpConnection(socket);
    }

    /// <summary>Sends bytes; false when the server already closed or reset the connection.</summary>
    public async Task<bool> SendAsync(byte[] bytes, CancellationToken cancellationToken = default)
    {
        try
        {
            var sent = 0;
            while (sent < bytes.Length)
            {
                sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellationToken);
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public Task<bool> SendAsync(string text, CancellationToken cancellationToken = default) => SendAsync(Encoding.Latin1.GetBytes(text), cancellationToken);

    /// <summary>Reads one response (Content-Length or chunked body).</summary>
    public async Task<(RawOutcome Outcome, RawResponse? Response)> ReadResponseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var head = await ReadHeadAsync(cancel.Token);
            if (head is null)
            {
                return (RawOutcome.ClosedWithoutResponse, null);
            }

            var lines = head.Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var name = line[..colon].Trim();
                headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + "," + line[(colon + 1)..].Trim() : line[(colon + 1)..].Trim();
            }

            byte[]? body;
            if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = await ReadChunkedAsync(cancel.Token);
            }
            else
            {
                var length = headers.TryGetValue("content-length", out var declared) ? int.Parse(declared, CultureInfo.InvariantCulture) : 0;
                body = await ReadExactlyAsync(length, cancel.Token);
            }

            return body is null ? (RawOutcome.ClosedWithoutResponse, null) : (RawOutcome.Answered, new RawResponse(status, headers, body));
        }
        catch (OperationCanceledException)
        {
            return (RawOutcome.TimedOut, null);
        }
        catch (SocketException)
        {
            return (RawOutcome.Reset, null);
        }
    }

    /// <summary>True when the server has closed its side (a read returns end of stream) within the time allowed.</summary>
    public async Task<bool> ServerClosedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (_start < _end)
                {
                    _start = _end;
                }

                if (!await FillAsync(cancel.Token))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var text = _buffer.AsSpan(_start, _end - _start);
            var at = text.IndexOf("\r\n\r\n"u8);
            if (at >= 0)
            {
                var head = Encoding.Latin1.GetString(text[..at]);
                _start += at + 4;
                return head;
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async Task<byte[]?> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            var size = int.Parse(line.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return await ReadLineAsync(cancellationToken) is null ? null : body.ToArray();
            }

            var chunk = await ReadExactlyAsync(size + 2, cancellationToken);
            if (chunk is null)
            {
                return null;
            }

            body.Write(chunk, 0, size);
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var text = _buffer.AsSpan(_start, _end - _start);
            var at = text.IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = Encoding.Latin1.GetString(text[..at]);
                _start += at + 2;
                return line;
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async Task<byte[]?> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return null;
            }

            var take = Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(copied));
            _start += take;
            copied += take;
        }

        return result;
    }

    /// <summary>Reads more bytes into the buffer; false at end of stream.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidOperationException("A response head larger than the read buffer.");
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        _end += read;
        return read > 0;
    }
}
