using System.Text;
using System.Text.Json;

namespace Sandbox.StoreBench;

/// <summary>
/// What one booking's Commit writes in the sim, in one unit of work: the order document, the callback's outbox row,
/// the ticketing timer and a timeline event. Sizes follow a TechHouse order (about 1.5 KB of JSON, a 0.5 KB push).
/// Everything is derived from the sequence number, so a checker can name every record an acknowledged commit made.
/// </summary>
public sealed record OrderWrite(long Sequence, string EntityJson, byte[] OutboxBody, string TimelineDetail, long CreatedMs)
{
    public const string Tenant = "bench";
    public const string Supplier = "techhouse";
    public const string Kind = "order";

    public string EntityId => EntityIdOf(Sequence);

    public string TimerId => TimerIdOf(Sequence);

    public string EntityKey => EntityKeyOf(Sequence);

    public static string EntityIdOf(long sequence) => $"TH{sequence:D12}";

    public static string TimerIdOf(long sequence) => $"{Tenant}:{Supplier}:{Kind}:{EntityIdOf(sequence)}:PENDING";

    public static string EntityKeyOf(long sequence) => $"{Supplier}:{Kind}:{EntityIdOf(sequence)}";

    public static OrderWrite Create(long sequence, Random random)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = EntityIdOf(sequence);
        var entity = JsonSerializer.Serialize(new
        {
            id,
            status = "PENDING",
            createdMs = now,
            updatedMs = now,
            tags = Array.Empty<string>(),
            sessionId = Guid.NewGuid().ToString("N"),
            routeType = 1,
            currency = "CNY",
            totalCost = 800 + random.Next(4000),
            paymentCode = "AG",
            orderDate = now,
            paymentDate = now,
            routing = new
            {
                data = Convert.ToBase64String(RandomBytes(random, 180)),
                currency = "CNY",
                adultPrice = 700 + random.Next(3000),
                adultTax = 50,
                fromSegments = new[]
                {
                    new { carrier = "CA", flightNumber = $"CA{random.Next(1000, 9999)}", depAirport = "PEK", arrAirport = "SHA", depTime = "202710150800", arrTime = "202710151015", cabin = "Y", aircraftCode = "738" },
                    new { carrier = "CA", flightNumber = $"CA{random.Next(1000, 9999)}", depAirport = "SHA", arrAirport = "CAN", depTime = "202710151200", arrTime = "202710151420", cabin = "Y", aircraftCode = "320" },
                },
            },
            passengers = new[]
            {
                new { name = $"WEI/{Letters(random, 6)}", passengerType = 0, birthday = "19830418", gender = "M", cardNum = $"G{random.Next(100_000_000):D8}", cardType = "PP", nationality = "CN", cardExpired = "20300506", cardIssuePlace = "CN" },
            },
            contact = new { name = "WEI", address = "No.99 Fuquan Road, Shanghai", postcode = "200335", email = "load@example.com", mobile = "+86 13774293883" },
            inventory = new[] { $"CA|PEK|SHA|20271015|Y|{random.Next(99)}" },
        });
        var push = JsonSerializer.Serialize(new
        {
            orderNo = id,
            orderStatus = "TICKETED",
            msg = "success",
            tickets = new[] { new { name = "WEI", ticketNo = $"999-{random.NextInt64(1_000_000_000L, 9_999_999_999L)}" } },
            padding = Convert.ToBase64String(RandomBytes(random, 240)),
        });
        var detail = JsonSerializer.Serialize(new { operation = "Commit", from = "", to = "PENDING", orderNo = id });
        return new OrderWrite(sequence, entity, Encoding.UTF8.GetBytes(push), detail, now);
    }

    static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    static string Letters(Random random, int count) =>
        string.Create(count, random, static (letters, r) =>
        {
            for (var i = 0; i < letters.Length; i++) letters[i] = (char)('A' + r.Next(26));
        });
}
