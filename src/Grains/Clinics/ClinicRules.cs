namespace ClinicCluster.Clinics;

/// <summary>What makes clinic settings and provider profiles valid.</summary>
public static class ClinicRules
{
    public const int MaxWorkingWindows = 50;
    public const int MaxTimeOffPeriods = 500;

    public static ValidationErrors Validate(ClinicSettings settings)
    {
        var errors = new ValidationErrors()
            .Text(settings.Name, "name", 200)
            .When(!ClinicTimeZones.Exists(settings.TimeZone), "timeZone", "Must be an IANA time zone such as 'America/New_York'.");

        var types = settings.AppointmentTypes ?? [];
        errors.When(types.Count == 0, "appointmentTypes", "At least one appointment type is required.");
        errors.When(types.Count > 100, "appointmentTypes", "At most 100 appointment types.");
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            var path = $"appointmentTypes[{i}]";
            if (type is null)
            {
                errors.Add(path, "Required.");
                continue;
            }

            errors.Text(type.Name, $"{path}.name", 64)
                .Range(type.DurationMinutes, $"{path}.durationMinutes", 1, 480)
                .Range(type.BufferMinutes, $"{path}.bufferMinutes", 0, 120)
                .When(types.Take(i).Any(t => string.Equals(t?.Name, type.Name, StringComparison.OrdinalIgnoreCase)),
                    $"{path}.name", "Appointment type names must be unique.");
        }

        if (settings.Policy is not { } policy)
        {
            return errors.Add("policy", "Required.");
        }

        return errors
            .Range(policy.MinimumNoticeMinutes, "policy.minimumNoticeMinutes", 0, 43_200)
            .Range(policy.MaximumHorizonDays, "policy.maximumHorizonDays", 1, 730)
            .Range(policy.CancellationCutoffMinutes, "policy.cancellationCutoffMinutes", 0, 43_200)
            .Range(policy.SlotIntervalMinutes, "policy.slotIntervalMinutes", 5, 240)
            .Range(policy.CheckInOpensMinutes, "policy.checkInOpensMinutes", 0, 1440)
            .Range(policy.CheckInGraceMinutes, "policy.checkInGraceMinutes", 0, 720)
            .Range(policy.NoShowGraceMinutes, "policy.noShowGraceMinutes", 0, 720);
    }

    public static ValidationErrors Validate(ProviderProfile profile)
    {
        var errors = new ValidationErrors()
            .Text(profile.Name, "name", 200)
            .Text(profile.Specialty, "specialty", 100);

        var hours = profile.WorkingHours ?? [];
        errors.When(hours.Count > MaxWorkingWindows, "workingHours", $"At most {MaxWorkingWindows} windows.");
        for (var i = 0; i < hours.Count; i++)
        {
            var window = hours[i];
            var path = $"workingHours[{i}]";
            if (window is null)
            {
                errors.Add(path, "Required.");
                continue;
            }

            errors.When(!Enum.IsDefined(window.Day), $"{path}.day", "Must be a day of the week.");
            errors.When(window.End <= window.Start, $"{path}.end", "Must be after the start; windows do not cross midnight.");
            errors.When(hours.Take(i).Any(o => o is not null && o.Day == window.Day && o.Start < window.End && window.Start < o.End),
                path, "Overlaps another window of the same day.");
        }

        var timeOff = profile.TimeOff ?? [];
        errors.When(timeOff.Count > MaxTimeOffPeriods, "timeOff", $"At most {MaxTimeOffPeriods} periods.");
        for (var i = 0; i < timeOff.Count; i++)
        {
            errors.When(timeOff[i] is null, $"timeOff[{i}]", "Required.");
            errors.When(timeOff[i] is { } off && off.End <= off.Start, $"timeOff[{i}].end", "Must be after the start.");
        }

        return errors;
    }
}
