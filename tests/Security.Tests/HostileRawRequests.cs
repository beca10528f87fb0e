using System.Globalization;
using System.Text;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// A hostile request as bytes on the wire, for what HttpClient will not send: framing that lies
/// (CL+TE, duplicate or short Content-Length), bare CR or LF, raw non-UTF-8 in the target,
/// HTTP/1.0 without Host, pipelining, bodies over every route's limit.
/// </summary>
/// <param name="Responses">How many answers the bytes ask for (pipelined requests ask for more than one).</param>
/// <param name="CloseImplied">HTTP/1.0 without keep-alive: the server closes after its answer without saying so.</param>
public sealed record HostileRawRequest(string Endpoint, string Mutation, byte[] Bytes, int Responses = 1, bool CloseImplied = false)
{
    public override string ToString() => $"{Endpoint} [raw {Mutation}] {Bytes.Length} bytes";
}

public sealed partial class HostileRequestGenerator
{
    public static readonly string[] RawMutations =
    [
        "oversized declared", "oversized chunked", "content-length and chunked", "duplicate content-length",
        "conflicting content-length", "bare CR in a header", "bare LF line ends", "invalid UTF-8 in the target",
        "HTTP/1.0 without Host", "pipelined", "body shorter than its Content-Length",
    ];

    /// <summary>A valid request of a random endpoint, broken at the framing level by <paramref name="mutation"/>.</summary>
    public HostileRawRequest NextRaw(string mutation)
    {
        var template = _templates[_random.Next(_templates.Count)];
        var request = Build(template, "none");
        var body = request.Body ?? [];
        var path = request.PathAndQuery;
        var head = new List<string> { "Host: localhost" };
        head.AddRange(request.Headers.Select(h => $"{h.Key}: {h.Value}"));
        if (request.ContentType is not null)
        {
            head.Add("Content-Type: " + request.ContentType);
        }

        string Line(string version = "HTTP/1.1") => $"{request.Method.Method} {path} {version}";
        byte[] Framed(IEnumerable<string> headers, byte[] content, string version = "HTTP/1.1", string newline = "\r\n") =>
            [.. Encoding.Latin1.GetBytes(string.Join(newline, headers.Prepend(Line(version))) + newline + newline), .. content];
        string Length(int length) => "Content-Length: " + length.ToString(CultureInfo.InvariantCulture);

        switch (mutation)
        {
            case "oversized declared":
                {
                    var padded = Pad(_random.Next(2) == 0 ? 70 * 1024 : 300 * 1024);
                    return new(template.Name, $"{mutation} {padded.Length}", Framed(head.Append(Length(padded.Length)), padded));
                }

            case "oversized chunked":
                {
                    var padded = Pad(_random.Next(2) == 0 ? 70 * 1024 : 300 * 1024);
                    return new(template.Name, $"{mutation} {padded.Length}", Framed(head.Append("Transfer-Encoding: chunked"), Chunked(padded)));
                }

            case "content-length and chunked":
                return new(template.Name, mutation, Framed(head.Append(Length(body.Length)).Append("Transfer-Encoding: chunked"), Chunked(body)));
            case "duplicate content-length":
                return new(template.Name, mutation, Framed(head.Append(Length(body.Length)).Append(Length(body.Length)), body));
            case "conflicting content-length":
                return new(template.Name, mutation, Framed(head.Append(Length(body.Length)).Append(Length(body.Length + 5)), body));
            case "bare CR in a header":
                return new(template.Name, mutation, Framed(head.Append(Length(body.Length)).Append("X-Split: a\rInjected: b"), body));
            case "bare LF line ends":
                return new(template.Name, mutation, Framed(head.Append(Length(body.Length)), body, newline: "\n"));
            case "invalid UTF-8 in the target":
                {
                    var line = Encoding.Latin1.GetBytes($"{request.Method.Method} {path}");
                    byte[] broken = [.. line, 0xFF, 0xC0, 0xAF, .. " HTTP/1.1\r\n"u8];
                    return new(template.Name, mutation, [.. broken, .. Framed(head.Append(Length(body.Length)), body).SkipWhile(b => b != (byte)'\n').Skip(1)]);
                }

            case "HTTP/1.0 without Host":
                return new(template.Name, mutation, Framed(head.Where(h => !h.StartsWith("Host:", StringComparison.Ordinal)).Append(Length(body.Length)), body, "HTTP/1.0"),
                    CloseImplied: true);
            case "pipelined":
                {
                    var one = Framed(head.Append(Length(body.Length)), body);
                    return new(template.Name, mutation, [.. one, .. one, .. "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"u8], Responses: 3);
                }

            default:
                // The declared length is 100 bytes more than is sent: the server waits, then gives up.
                return new(template.Name, mutation, Framed(head.Append(Length(body.Length + 100)), body));
        }
    }

    private static byte[] Pad(int size) => Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('p', size) + "\"}");

    private static byte[] Chunked(byte[] content)
    {
        using var wire = new MemoryStream();
        foreach (var chunk in content.Chunk(8192))
        {
            wire.Write(Encoding.ASCII.GetBytes(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            wire.Write(chunk);
            wire.Write("\r\n"u8);
        }

        wire.Write("0\r\n\r\n"u8);
        return wire.ToArray();
    }
}
