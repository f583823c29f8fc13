using System.Globalization;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>SetPassengers (spec §5.3): passengers and contact for the session, allowed once.</summary>
static class Passengers
{
    static readonly HashSet<string> CardTypes = ["PP", "GA", "TW", "TB", "HX", "HY"];

    public static SupplierReply SetPassengers(TechHouseCall call)
    {
        var r = call.Request;
        var session = call.Session();
        lock (session)
        {
            if (session.HasPassengers) throw new TechHouseError(TechHouseStatus.PassengersAlreadySet);
            var list = r.Array("passengers");
            if (list.Count == 0) throw r.Bad("passengers", "must not be empty");
            var passengers = list.Select(Read).ToList();
            if (passengers.Select(p => p.PassengerId).Distinct().Count() != passengers.Count) throw r.Bad("passengers", "has a duplicate passengerId");
            var children = passengers.Count(p => p.AgeType == 1);
            var adults = passengers.Count - children;
            if (adults == 0 || children > adults) throw new TechHouseError(TechHouseStatus.ChildrenRule);
            if (passengers.Count > session.Routing.MaxSeats) throw new TechHouseError(TechHouseStatus.SoldOut, $"only {session.Routing.MaxSeats} seats left");
            var c = r.Obj("contact");
            var contact = new Contact(c.Str("firstName"), c.Str("lastName"), c.OptStr("address") ?? "", c.OptStr("postcode") ?? "",
                c.Str("email"), c.Str("mobile"));

            session.Passengers = passengers;
            session.Contact = contact;
            session.Adults = adults;
            session.Children = children;
            if (session.State == SessionState.Priced) session.State = SessionState.PassengersSet;
        }
        var reply = call.Ok("Success");
        reply.Money("totalCost", session.Total);
        reply.W.WriteString("currency", session.Routing.Currency);
        return call.Finish(reply);
    }

    static Passenger Read(RequestFields p)
    {
        var ageType = p.Int("ageType");
        if (ageType is not (0 or 1 or -1)) throw new TechHouseError(TechHouseStatus.BadPassengerType, $"invalid ageType {ageType} (0 adult, 1 child, -1 student)");
        var gender = p.Str("gender").ToUpperInvariant();
        if (gender is not ("M" or "F")) throw p.Bad("gender", "must be M or F");
        var cardNum = p.Str("cardNum");
        if (cardNum.Length > 15) throw p.Bad("cardNum", "is longer than 15 characters");
        var cardType = p.Str("cardType").ToUpperInvariant();
        if (!CardTypes.Contains(cardType)) throw p.Bad("cardType", "must be one of PP, GA, TW, TB, HX, HY");
        return new Passenger(p.Str("passengerId"), p.Str("firstName"), p.Str("lastName"), ageType, Date(p, "birthday"), gender,
            cardNum, cardType, p.OptStr("cardIssuePlace") ?? "", Date(p, "cardExpired"), p.Str("nationality"));
    }

    static string Date(RequestFields p, string name)
    {
        var s = p.Str(name);
        return DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? s : throw p.Bad(name, "must be a date yyyyMMdd");
    }
}
