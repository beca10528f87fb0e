using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClinicCluster.Api.Tests;

/// <summary>One way a response differs from the OpenAPI document.</summary>
public sealed record OpenApiMismatch(string Operation, int Status, string JsonPath, string Message)
{
    public override string ToString() => $"{Operation} {Status} {JsonPath}: {Message}";
}

/// <summary>
/// Checks responses against an OpenAPI 3.0/3.1 document (as ASP.NET Core serves it): the operation is
/// found by method and path template (a route parameter matches one segment), the status must be
/// declared (or "default", or its "4XX" range), and a JSON body must validate against the declared
/// schema. The schema subset is what the generator emits: $ref into the document, type (a name, an
/// array of names, or 3.0's nullable), enum/const, required, properties, additionalProperties, items,
/// allOf/anyOf/oneOf, pattern, and format date-time (parsed loosely).
/// </summary>
public sealed class OpenApiResponseValidator(JsonElement document)
{
    private const int MaxDepth = 64;
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public JsonElement Document { get; } = document.Clone();

    /// <summary>Every mismatch of one response; empty when it conforms.</summary>
    public IReadOnlyList<OpenApiMismatch> Validate(HttpMethod method, string path, int status, string? mediaType, string? body)
    {
        var mismatches = new List<OpenApiMismatch>();
        var requestPath = path.Split('?', 2)[0];
        var operationName = $"{method.Method.ToUpperInvariant()} {requestPath}";
        if (FindOperation(method, requestPath) is not { } found)
        {
            mismatches.Add(new(operationName, status, "$", "no operation in the document matches this method and path"));
            return mismatches;
        }

        var (template, operation) = found;
        operationName = $"{method.Method.ToUpperInvariant()} {template}"
            + (operation.TryGetProperty("operationId", out var id) ? $" ({id.GetString()})" : string.Empty);
        if (!TryGetResponse(operation, status, out var response))
        {
            mismatches.Add(new(operationName, status, "$", $"status {status} is not declared (declared: {DeclaredStatuses(operation)})"));
            return mismatches;
        }

        response = Resolve(response);
        var isJson = mediaType is not null
            && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson || string.IsNullOrEmpty(body))
        {
            return mismatches;
        }

        if (!response.TryGetProperty("content", out var content) || !TryGetMediaType(content, mediaType!, out var declared))
        {
            mismatches.Add(new(operationName, status, "$", $"a {mediaType} body is not declared for this status"));
            return mismatches;
        }

        if (!declared.TryGetProperty("schema", out var schema))
        {
            return mismatches;
        }

        JsonElement instance;
        try
        {
            using var parsed = JsonDocument.Parse(body);
            instance = parsed.RootElement.Clone();
        }
        catch (JsonException e)
        {
            mismatches.Add(new(operationName, status, "$", $"the body is not JSON: {e.Message}"));
            return mismatches;
        }

        var errors = new List<(string Path, string Message)>();
        ValidateSchema(schema, instance, "$", errors, 0);
        mismatches.AddRange(errors.Select(e => new OpenApiMismatch(operationName, status, e.Path, e.Message)));
        return mismatches;
    }

    /// <summary>The schema errors of one instance (for tests of the validator itself).</summary>
    public IReadOnlyList<(string Path, string Message)> ValidateSchema(JsonElement schema, JsonElement instance)
    {
        var errors = new List<(string Path, string Message)>();
        ValidateSchema(schema, instance, "$", errors, 0);
        return errors;
    }

    private (string Template, JsonElement Operation)? FindOperation(HttpMethod method, string path)
    {
        if (!Document.TryGetProperty("paths", out var paths))
        {
            return null;
        }

        var segments = Segments(path);
        var verb = method.Method.ToLowerInvariant();
        (string Template, JsonElement Operation, int Parameters)? best = null;
        foreach (var item in paths.EnumerateObject())
        {
            var template = Segments(item.Name);
            if (template.Length != segments.Length || !Resolve(item.Value).TryGetProperty(verb, out var operation))
            {
                continue;
            }

            var parameters = 0;
            var matches = true;
            for (var i = 0; i < template.Length && matches; i++)
            {
                if (template[i].StartsWith('{') && template[i].EndsWith('}'))
                {
                    parameters++;
                    matches = segments[i].Length > 0;
                }
                else
                {
                    matches = string.Equals(template[i], Uri.UnescapeDataString(segments[i]), StringComparison.OrdinalIgnoreCase);
                }
            }

            // The most literal template wins (/patients/import over /patients/{patientId}).
            if (matches && (best is null || parameters < best.Value.Parameters))
            {
                best = (item.Name, operation, parameters);
            }
        }

        return best is { } b ? (b.Template, b.Operation) : null;
    }

    private static string[] Segments(string path) => path.Trim('/').Split('/');

    private static bool TryGetResponse(JsonElement operation, int status, out JsonElement response)
    {
        response = default;
        if (!operation.TryGetProperty("responses", out var responses))
        {
            return false;
        }

        var code = status.ToString(CultureInfo.InvariantCulture);
        return responses.TryGetProperty(code, out response)
            || responses.TryGetProperty(code[0] + "XX", out response)
            || responses.TryGetProperty(code[0] + "xx", out response)
            || responses.TryGetProperty("default", out response);
    }

    private static string DeclaredStatuses(JsonElement operation) =>
        operation.TryGetProperty("responses", out var responses)
            ? string.Join(", ", responses.EnumerateObject().Select(p => p.Name))
            : "none";

    private static bool TryGetMediaType(JsonElement content, string mediaType, out JsonElement declared)
    {
        if (content.TryGetProperty(mediaType, out declared))
        {
            return true;
        }

        foreach (var entry in content.EnumerateObject())
        {
            if (entry.Name.Equals(mediaType, StringComparison.OrdinalIgnoreCase) || entry.Name is "*/*" or "application/*")
            {
                declared = entry.Value;
                return true;
            }
        }

        return false;
    }

    private JsonElement Resolve(JsonElement element)
    {
        for (var hops = 0; hops < MaxDepth && element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("$ref", out var reference) && reference.GetString() is { } pointer; hops++)
        {
            element = Pointer(pointer);
        }

        return element;
    }

    private JsonElement Pointer(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Only local references are supported: {reference}");
        }

        var current = Document;
        foreach (var raw in reference[2..].Split('/'))
        {
            var name = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                throw new InvalidOperationException($"The document has no {reference}.");
            }
        }

        return current;
    }

    private void ValidateSchema(JsonElement schema, JsonElement instance, string path, List<(string Path, string Message)> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            errors.Add((path, "the schema nests too deep"));
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add((path, "no value is allowed here"));
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // 3.1: $ref sits beside other keywords and both apply; 3.0: siblings are ignored, which the generator never relies on.
        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } pointer)
        {
            ValidateSchema(Pointer(pointer), instance, path, errors, depth + 1);
        }

        var nullable = schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
        if (instance.ValueKind == JsonValueKind.Null && nullable)
        {
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, instance))
        {
            errors.Add((path, $"expected type {type.GetRawText()}{(nullable ? " (nullable)" : string.Empty)}, got {Describe(instance)}"));
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, instance))
            && !(nullable && instance.ValueKind == JsonValueKind.Null))
        {
            errors.Add((path, $"{instance.GetRawText()} is not one of {values.GetRawText()}"));
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, instance))
        {
            errors.Add((path, $"{instance.GetRawText()} is not {constant.GetRawText()}"));
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                ValidateSchema(part, instance, path, errors, depth + 1);
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var passing = anyOf.EnumerateArray().Count(part => Passes(part, instance, path, depth));
            if (passing == 0)
            {
                errors.Add((path, $"{Describe(instance)} matches none of anyOf"));
            }
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var passing = oneOf.EnumerateArray().Count(part => Passes(part, instance, path, depth));
            if (passing != 1)
            {
                errors.Add((path, $"{Describe(instance)} matches {passing} of oneOf (exactly one expected)"));
            }
        }

        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(schema, instance, path, errors, depth);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items) && items.ValueKind is JsonValueKind.Object or JsonValueKind.False:
                var index = 0;
                foreach (var item in instance.EnumerateArray())
                {
                    ValidateSchema(items, item, $"{path}[{index++}]", errors, depth + 1);
                }

                break;
            case JsonValueKind.String:
                ValidateString(schema, instance.GetString()!, path, errors);
                break;
        }
    }

    private void ValidateObject(JsonElement schema, JsonElement instance, string path, List<(string Path, string Message)> errors, int depth)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!instance.TryGetProperty(name, out _))
                {
                    errors.Add((path, $"required property '{name}' is missing"));
                }
            }
        }

        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in instance.EnumerateObject())
        {
            var propertyPath = $"{path}.{property.Name}";
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                ValidateSchema(propertySchema, property.Value, propertyPath, errors, depth + 1);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.False)
            {
                errors.Add((propertyPath, "this property is not declared and additionalProperties is false"));
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
            {
                ValidateSchema(additional, property.Value, propertyPath, errors, depth + 1);
            }
        }
    }

    private static void ValidateString(JsonElement schema, string value, string path, List<(string Path, string Message)> errors)
    {
        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time"
            && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            errors.Add((path, $"'{value}' is not a date-time"));
        }

        if (schema.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { } regex
            && !Regex.IsMatch(value, regex, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add((path, $"'{value}' does not match the pattern {regex}"));
        }
    }

    private bool Passes(JsonElement schema, JsonElement instance, string path, int depth)
    {
        var errors = new List<(string Path, string Message)>();
        ValidateSchema(schema, instance, path, errors, depth + 1);
        return errors.Count == 0;
    }

    private static bool MatchesType(JsonElement type, JsonElement instance) => type.ValueKind switch
    {
        JsonValueKind.String => MatchesType(type.GetString()!, instance),
        JsonValueKind.Array => type.EnumerateArray().Any(t => MatchesType(t.GetString()!, instance)),
        _ => true,
    };

    private static bool MatchesType(string type, JsonElement instance) => type switch
    {
        "null" => instance.ValueKind == JsonValueKind.Null,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && decimal.TryParse(instance.GetRawText(), NumberStyles.Float,
            CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number),
        _ => true,
    };

    private static string Describe(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => instance.ValueKind.ToString(),
    };
}
