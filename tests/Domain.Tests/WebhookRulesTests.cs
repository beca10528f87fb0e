using System.Net;
using System.Security.Cryptography;
using System.Text;
using ClinicCluster.Scheduling;
using ClinicCluster.Webhooks;
using Microsoft.Extensions.Options;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

/// <summary>The webhook rules as plain code (decision 0046): signatures, back-off, the SSRF guard, which ledger changes are events.</summary>
public sealed class WebhookRulesTests
{
    [Fact]
    public void The_signature_is_hex_HMAC_SHA256_of_timestamp_dot_body_one_per_secret()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt-1\"}");
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_a"), Encoding.UTF8.GetBytes("1700000000.{\"id\":\"evt-1\"}")));

        var header = WebhookSignature.Header(["whsec_a", "whsec_b"], "1700000000", body);

        Assert.Equal($"v1={expected} v1={WebhookSignature.Compute("whsec_b", "1700000000", body)}", header);
        Assert.True(WebhookSignature.Verify("whsec_a", "1700000000", body, header));
        Assert.True(WebhookSignature.Verify("whsec_b", "1700000000", body, header));
        Assert.False(WebhookSignature.Verify("whsec_c", "1700000000", body, header));
        Assert.False(WebhookSignature.Verify("whsec_a", "1700000001", body, header));
        Assert.False(WebhookSignature.Verify("whsec_a", "1700000000", Encoding.UTF8.GetBytes("{\"id\":\"evt-2\"}"), header));
    }

    [Fact]
    public void A_rotated_secret_signs_beside_the_new_one_only_until_the_overlap_ends()
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        var row = new WebhookSubscriptionRow("c", "whk-1", "https://example.org/", ["appointment.booked"], ["new", "old"], now.AddHours(1), now);

        Assert.Equal(["new", "old"], row.SigningSecrets(now));
        Assert.Equal(["new"], row.SigningSecrets(now.AddHours(1)));
        Assert.Equal(2, row.ToSubscription(now).ActiveSecrets);
        Assert.StartsWith(WebhookSignature.SecretPrefix, WebhookSignature.NewSecret(), StringComparison.Ordinal);
        Assert.NotEqual(WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
    }

    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 1.0, 1000)]
    [InlineData(3, 1.0, 4000)]
    [InlineData(30, 1.0, 60000)]
    [InlineData(30, 0.0, 500)]
    public void Back_off_doubles_up_to_the_cap_with_jitter_above_half_the_first_delay(int attempts, double random, int expectedMs)
    {
        var delay = WebhookBackoff.Delay(attempts, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), random);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("fd00::1", "private")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("2002:7f00:1::", "loopback")]
    [InlineData("224.0.0.1", "multicast or reserved")]
    public void Inward_addresses_are_refused_with_their_kind(string address, string reason) =>
        Assert.Equal(reason, WebhookAddressRules.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    public void Public_addresses_are_allowed(string address) => Assert.Null(WebhookAddressRules.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://127.0.0.1/hook", "loopback")]
    [InlineData("https://[::1]:8443/hook", "loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("https://10.0.0.5/", "private")]
    [InlineData("https://localhost/", "loopback")]
    [InlineData("http://93.184.215.14/", "https")]
    [InlineData("https://user:pw@93.184.215.14/", "credentials")]
    [InlineData("ftp://93.184.215.14/", "https")]
    [InlineData("/relative", "absolute")]
    [InlineData("", "absolute")]
    public async Task The_guard_refuses_with_the_reason(string url, string reasonPart)
    {
        var refusal = await Guard(new WebhookOptions()).RefusalAsync(url);
        Assert.Contains(reasonPart, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_settings_let_a_test_receiver_on_loopback_http_through()
    {
        var guard = Guard(new WebhookOptions { AllowPrivateAddresses = true, AllowHttp = true });
        Assert.Null(await guard.RefusalAsync("http://127.0.0.1:5000/hook"));
        Assert.Null(await Guard(new WebhookOptions()).RefusalAsync("https://93.184.215.14/hook"));
    }

    [Fact]
    public void Ledger_changes_map_to_event_types_as_the_trigger_maps_them()
    {
        var booked = Row();
        var moved = booked with { Start = Start.AddHours(1), End = Start.AddHours(1).AddMinutes(30), Version = 2 };

        Assert.Equal("appointment.booked", WebhookEvents.FromLedger(null, booked)?.Type);
        Assert.Equal("appointment.rescheduled", WebhookEvents.FromLedger(booked, moved)?.Type);
        Assert.Equal("appointment.cancelled", WebhookEvents.FromLedger(booked, booked with { Status = AppointmentStatus.Cancelled, Version = 2 })?.Type);
        Assert.Equal("appointment.checked-in", WebhookEvents.FromLedger(booked, booked with { Status = AppointmentStatus.CheckedIn, Version = 2 })?.Type);
        Assert.Equal("appointment.no-show", WebhookEvents.FromLedger(booked, booked with { Status = AppointmentStatus.NoShow, Version = 2 })?.Type);
        Assert.Null(WebhookEvents.FromLedger(booked, booked with { Status = AppointmentStatus.Fulfilled, Version = 2 }));
        Assert.Null(WebhookEvents.FromLedger(booked, booked with { DueSoonNoticedAt = Start }));
    }

    [Fact]
    public void Event_data_carries_ids_and_times_never_the_patient_or_the_reason()
    {
        var data = WebhookEvents.FromLedger(null, Row() with { Reason = "private reason" })!.DataJson;

        Assert.DoesNotContain("pat", data, StringComparison.Ordinal);
        Assert.DoesNotContain("private reason", data, StringComparison.Ordinal);
        Assert.Contains("\"start\":\"", data, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_types_must_be_known_and_unrepeated()
    {
        Assert.Equal(["appointment.booked", "waitlist.offered"], WebhookSubscriptionRules.EventTypes(["appointment.booked", "waitlist.offered"]));
        Assert.Null(WebhookSubscriptionRules.EventTypes([]));
        Assert.Null(WebhookSubscriptionRules.EventTypes(null));
        Assert.Null(WebhookSubscriptionRules.EventTypes(["appointment.booked", "appointment.booked"]));
        Assert.Null(WebhookSubscriptionRules.EventTypes(["appointment.deleted"]));
        Assert.Null(WebhookSubscriptionRules.EventTypes([null]));
    }

    [Fact]
    public void Options_name_the_setting_that_is_wrong()
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions
        {
            FirstRetryDelay = TimeSpan.FromMinutes(5),
            MaxRetryDelay = TimeSpan.FromMinutes(1),
            MaxConcurrencyPerSubscriber = 0,
            DeliveredRetention = TimeSpan.Zero,
            RetentionBatchSize = 0,
        });

        Assert.Contains(result.Failures!, f => f.Contains("Webhooks:FirstRetryDelay", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Webhooks:MaxConcurrencyPerSubscriber", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Webhooks:DeliveredRetention", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Webhooks:RetentionBatchSize", StringComparison.Ordinal));
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions()).Succeeded);
    }

    private static WebhookUrlGuard Guard(WebhookOptions options) => new(Options.Create(options));
}
