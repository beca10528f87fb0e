using System.Net;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Issue 24 item 5: webhook subscriptions over HTTP. This suite's silo keeps the SSRF guard on, so
/// every address here is refused with its reason; delivery itself is tested on PostgreSQL
/// (Storage.Tests WebhookDeliveryTests), with a loopback receiver the silo there allows.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookEndpointsTests(ApiFixture fixture) : IDisposable
{
    private static readonly string Admin = ApiFixture.AdminToken;

    private readonly ValidatingProxyHandler _proxy = new();
    private ApiClient? _api;

    private ApiClient Api => _api ??= new ApiClient(fixture.Factory.CreateDefaultClient(_proxy));

    public void Dispose() => _api?.Http.Dispose();

    public static TheoryData<string, string, string> BadSubscriptions() => new()
    {
        { """{"url":"https://127.0.0.1/hook","eventTypes":["appointment.booked"]}""", "url", "loopback" },
        { """{"url":"https://localhost:8443/hook","eventTypes":["appointment.booked"]}""", "url", "loopback" },
        { """{"url":"https://[::1]/hook","eventTypes":["appointment.booked"]}""", "url", "loopback" },
        { """{"url":"https://169.254.169.254/latest/meta-data/","eventTypes":["appointment.booked"]}""", "url", "link-local" },
        { """{"url":"https://10.0.0.7/","eventTypes":["appointment.booked"]}""", "url", "private" },
        { """{"url":"https://192.168.0.1/","eventTypes":["appointment.booked"]}""", "url", "private" },
        { """{"url":"https://[::ffff:10.0.0.1]/","eventTypes":["appointment.booked"]}""", "url", "private" },
        { """{"url":"https://0x7f000001/","eventTypes":["appointment.booked"]}""", "url", "" },
        { """{"url":"http://93.184.215.14/","eventTypes":["appointment.booked"]}""", "url", "https" },
        { """{"url":"file:///etc/passwd","eventTypes":["appointment.booked"]}""", "url", "https" },
        { """{"url":"https://u:p@93.184.215.14/","eventTypes":["appointment.booked"]}""", "url", "credentials" },
        { """{"url":"/relative","eventTypes":["appointment.booked"]}""", "url", "absolute" },
        { """{"url":"","eventTypes":["appointment.booked"]}""", "url", "absolute" },
        { """{"url":null,"eventTypes":["appointment.booked"]}""", "url", "absolute" },
        { """{"eventTypes":["appointment.booked"]}""", "url", "absolute" },
        { "{\"url\":\"https://" + new string('a', 2100) + ".example/\",\"eventTypes\":[\"appointment.booked\"]}", "url", "absolute" },
        { """{"url":"https://93.184.215.14/","eventTypes":[]}""", "eventTypes", "non-empty" },
        { """{"url":"https://93.184.215.14/"}""", "eventTypes", "non-empty" },
        { """{"url":"https://93.184.215.14/","eventTypes":["appointment.deleted"]}""", "eventTypes", "non-empty" },
        { """{"url":"https://93.184.215.14/","eventTypes":["appointment.booked","appointment.booked"]}""", "eventTypes", "non-empty" },
        { """{"url":"https://93.184.215.14/","eventTypes":[null]}""", "eventTypes", "non-empty" },
        { """{"url":"https://93.184.215.14/","eventTypes":["APPOINTMENT.BOOKED"]}""", "eventTypes", "non-empty" },
    };

    [Theory]
    [MemberData(nameof(BadSubscriptions))]
    public async Task Every_hostile_subscription_is_a_400_problem_with_the_reason(string body, string field, string reason)
    {
        var clinic = await fixture.CreateClinicAsync();

        using var response = await Api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/webhooks", Admin, body);

        var problem = await response.ExpectValidationAsync(field);
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"url":7,"eventTypes":["appointment.booked"]}""")]
    [InlineData("""{"url":"https://93.184.215.14/","eventTypes":"appointment.booked"}""")]
    [InlineData("""{"url":"https://93.184.215.14/","eventTypes":[1]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"url":""")]
    public async Task Malformed_bodies_are_400_problems(string body)
    {
        var clinic = await fixture.CreateClinicAsync();

        using var response = await Api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/webhooks", Admin, body);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/secrets")]
    [InlineData("POST", "/replay")]
    public async Task Unknown_or_malformed_subscription_ids_are_404_problems(string method, string suffix)
    {
        var clinic = await fixture.CreateClinicAsync();
        foreach (var id in new[] { "whk-0123456789abcdef", "BAD%20ID", new string('w', 65) })
        {
            using var response = await Api.SendAsync(new HttpMethod(method), $"{clinic.Path}/webhooks/{id}{suffix}", Admin);
            await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task A_clinic_without_subscriptions_lists_none()
    {
        var clinic = await fixture.CreateClinicAsync();

        using var response = await Api.GetAsync($"{clinic.Path}/webhooks", Admin);

        Assert.Equal(0, (await response.ExpectAsync(HttpStatusCode.OK)).GetArrayLength());
    }
}
