using ClinicCluster.Fhir.Smart;

namespace ClinicCluster.Fhir.Tests;

/// <summary>The SMART v2 scope grammar we implement, and the scope each kind of FHIR route needs.</summary>
public sealed class SmartScopesTests
{
    [Theory]
    [InlineData("user/Patient.rs", "Patient", SmartInteraction.Read, true)]
    [InlineData("user/Patient.rs", "Patient", SmartInteraction.Search, true)]
    [InlineData("user/Patient.r", "Patient", SmartInteraction.Search, false)]
    [InlineData("user/Patient.s", "Patient", SmartInteraction.Read, false)]
    [InlineData("user/Patient.rs", "Appointment", SmartInteraction.Read, false)]
    [InlineData("user/*.rs", "Appointment", SmartInteraction.Read, true)]
    [InlineData("user/*.rs", "Appointment", SmartInteraction.Create, false)]
    [InlineData("user/Appointment.cu", "Appointment", SmartInteraction.Update, true)]
    [InlineData("user/*.cruds", "AuditEvent", SmartInteraction.Delete, true)]
    [InlineData("openid fhirUser  user/Patient.r", "Patient", SmartInteraction.Read, true)]
    [InlineData("", "Patient", SmartInteraction.Read, false)]
    [InlineData("openid fhirUser launch offline_access", "Patient", SmartInteraction.Read, false)]
    public void A_user_scope_grants_its_letters_on_its_type(string scopes, string type, SmartInteraction interaction, bool allowed) =>
        Assert.Equal(allowed, SmartScopes.Parse([scopes]).Allows(type, interaction));

    [Theory]
    [InlineData("patient/Patient.rs")]
    [InlineData("system/*.rs")]
    [InlineData("user/Patient.rs?identifier=x")]
    [InlineData("user/Patient.read")]
    [InlineData("user/Patient.*")]
    [InlineData("user/Patient.sr")]
    [InlineData("user/Patient.rr")]
    [InlineData("user/Patient.")]
    [InlineData("user/patient.rs")]
    [InlineData("user/.rs")]
    [InlineData("user/Patient")]
    public void A_scope_we_do_not_implement_refuses_the_whole_token(string unsupported)
    {
        var scopes = SmartScopes.Parse(["user/*.cruds", unsupported]);

        Assert.True(scopes.Refused);
        Assert.False(scopes.Allows("Patient", SmartInteraction.Read));
    }

    [Fact]
    public void Scopes_in_several_claim_values_are_all_read() =>
        Assert.True(SmartScopes.Parse(["user/Patient.r", "user/Appointment.s"]).Allows("Appointment", SmartInteraction.Search));

    [Theory]
    [InlineData("GET", "Patient,{}", "user/Patient.r")]
    [InlineData("GET", "Patient", "user/Patient.s")]
    [InlineData("GET", "Patient,_search", "user/Patient.s")]
    [InlineData("POST", "Patient,_search", "user/Patient.s")]
    [InlineData("POST", "Appointment", "user/Appointment.c")]
    [InlineData("PUT", "Appointment,{}", "user/Appointment.u")]
    [InlineData("PATCH", "Appointment,{}", "user/Appointment.u")]
    [InlineData("DELETE", "Appointment,{}", "user/Appointment.d")]
    [InlineData("GET", "Appointment,{},_history,{}", "user/Appointment.r")]
    [InlineData("POST", "Appointment,$book", "user/Appointment.c")]
    [InlineData("GET", "Appointment,$find", "user/Appointment.s")]
    [InlineData("GET", "AuditEvent", "user/AuditEvent.s")]
    [InlineData("POST", "Patient,$everything", null)]
    [InlineData("POST", "Appointment,$book,x", null)]
    [InlineData("GET", "metadata", null)]
    [InlineData("GET", ".well-known,smart-configuration", null)]
    [InlineData("GET", "{}", null)]
    [InlineData("GET", "", null)]
    [InlineData("HEAD", "Patient,{}", null)]
    public void A_route_needs_the_scope_of_its_interaction(string method, string path, string? scope)
    {
        var segments = path.Length == 0 ? [] : path.Split(',').Select(s => s == "{}" ? null : s).ToList();

        Assert.Equal(scope, SmartRouteScopes.For(method, segments).Scope);
    }
}
