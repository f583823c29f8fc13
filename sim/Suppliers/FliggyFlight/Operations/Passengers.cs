using System.Globalization;
using System.Text.RegularExpressions;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// Reads airbook's passengers and contact (spec §2.2): required fields (code 40), the credential_type enum, birthdays
/// for children and infants and ages that fit the type on the day of departure (isv.PARAM_ERROR otherwise).
/// </summary>
static partial class Passengers
{
    /// <summary>credential_type values of the API page (0 身份证 … 18 台湾居民居住证; 9 is not one).</summary>
    static readonly HashSet<int> CredentialTypes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18];

    [GeneratedRegex(@"^\d{17}[\dXx]$")]
    private static partial Regex IdCard();

    [GeneratedRegex(@"^\d{5,15}$")]
    private static partial Regex Phone();

    public static List<OrderPassenger> Read(IReadOnlyList<JsonFields> list, DateOnly departure)
    {
        if (list.Count is < 1 or > 9) throw FlightError.ParamError("passenger_list holds 1 to 9 passengers");
        var result = new List<OrderPassenger>();
        foreach (var p in list)
        {
            var type = p.Int("type", required: true)!.Value;
            if (type is < 0 or > 2) throw FlightError.ParamError($"{p.Path}.type is 0 adult, 1 child or 2 infant");
            var credentialType = p.Int("credential_type", required: true)!.Value;
            if (!CredentialTypes.Contains(credentialType)) throw FlightError.ParamError($"{p.Path}.credential_type {credentialType} is not a credential type");
            var credentialNo = p.Str("credential_no", required: true)!;
            if (credentialType == 0 && !IdCard().IsMatch(credentialNo)) throw FlightError.ParamError($"{p.Path}.credential_no is not an 18-character ID card number");
            var name = p.Str("name", required: true)!;
            if (name.Length > 64) throw FlightError.ParamError($"{p.Path}.name is longer than 64 characters");
            var birthday = Birthday(p, (PassengerType)type, departure);
            var mobile = p.Str("mobile_phone_number");
            if (mobile is not null && !Phone().IsMatch(mobile)) throw FlightError.ParamError($"{p.Path}.mobile_phone_number is 5-15 digits");
            result.Add(new OrderPassenger
            {
                Name = name, Type = (PassengerType)type, Birthday = birthday, CredentialType = credentialType, CredentialNo = credentialNo,
                MobileCountryCode = p.Str("mobile_country_code"), MobilePhoneNumber = mobile,
            });
        }
        if (result.GroupBy(p => p.CredentialNo.ToUpperInvariant()).Any(g => g.Count() > 1)) throw FlightError.ParamError("the same credential_no twice in passenger_list");
        var adults = result.Count(p => p.Type == PassengerType.Adult);
        if (adults == 0) throw FlightError.ParamError("children and infants travel with an adult");
        if (result.Count(p => p.Type == PassengerType.Infant) > adults) throw FlightError.ParamError("at most one infant per adult");
        return result;
    }

    static string Birthday(JsonFields p, PassengerType type, DateOnly departure)
    {
        var text = p.Str("birthday");
        if (text is null)
            return type == PassengerType.Adult ? "" : throw FlightError.ParamError($"{p.Path}.birthday is required for a child or an infant");
        if (!DateTime.TryParseExact(text, ["yyyy-MM-dd", Times.Format], CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
            throw FlightError.ParamError($"{p.Path}.birthday is yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
        var date = DateOnly.FromDateTime(born);
        var age = departure.Year - date.Year - (departure < date.AddYears(departure.Year - date.Year) ? 1 : 0);
        var fits = type switch
        {
            PassengerType.Infant => date <= departure.AddDays(-14) && age < 2,
            PassengerType.Child => age is >= 2 and < 12,
            _ => age >= 12,
        };
        if (!fits) throw FlightError.ParamError($"{p.Path}: a {type.ToString().ToLowerInvariant()} is {Ages(type)} on the day of departure (born {date:yyyy-MM-dd})");
        return born.ToString(Times.Format, CultureInfo.InvariantCulture);
    }

    static string Ages(PassengerType type) => type switch
    {
        PassengerType.Infant => "14 days to under 2 years old",
        PassengerType.Child => "2 to under 12 years old",
        _ => "12 or older",
    };

    public static OrderContact Contact(JsonFields c)
    {
        var mobile = c.Str("mobile_phone_number", required: true)!;
        if (!Phone().IsMatch(mobile)) throw FlightError.ParamError($"{c.Path}.mobile_phone_number is 5-15 digits");
        var credentialType = c.Int("credential_type");
        if (credentialType is { } ct && !CredentialTypes.Contains(ct)) throw FlightError.ParamError($"{c.Path}.credential_type {ct} is not a credential type");
        return new OrderContact
        {
            Name = c.Str("name", required: true)!,
            MobilePhoneNumber = mobile,
            MobileCountryCode = c.Str("mobile_country_code", required: true)!,
            Phone = c.Str("phone"),
            Email = c.Str("email"),
            CredentialType = credentialType,
            CredentialNo = c.Str("credential_no"),
        };
    }

    /// <summary>The buyer of a buyer-member item: every field is required (seed document, member_buyer).</summary>
    public static OrderContact MemberBuyer(JsonFields b)
    {
        var missing = new[] { "name", "credential_type", "credential_no", "mobile_country_code", "mobile_phone_number" }.Where(f => !b.Has(f)).ToList();
        if (missing.Count > 0) throw FlightError.MemberBuyerRequired($"member_buyer lacks {string.Join(", ", missing)}");
        return new OrderContact
        {
            Name = b.Str("name", required: true)!,
            CredentialType = b.Int("credential_type", required: true),
            CredentialNo = b.Str("credential_no", required: true),
            MobileCountryCode = b.Str("mobile_country_code", required: true)!,
            MobilePhoneNumber = b.Str("mobile_phone_number", required: true)!,
        };
    }
}
