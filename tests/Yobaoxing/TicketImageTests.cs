using Sandbox.Suppliers.Yobaoxing.Imaging;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>The ticket JPEG: a baseline JFIF whose markers, tables and frame a decoder needs are all present and consistent.</summary>
public sealed class TicketImageTests
{
    [Fact]
    public void Ticket_image_is_a_baseline_jpeg_of_the_declared_size()
    {
        var jpeg = TicketImage.Jpeg("8000000000012345", "20261122", "VALID", "20261122100000000001");
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
        var markers = Segments(jpeg);
        Assert.Equal([0xE0, 0xDB, 0xC0, 0xC4, 0xC4, 0xDA], markers.Select(m => m.Marker).ToArray());
        var sof = markers.Single(m => m.Marker == 0xC0).Body;
        Assert.Equal(TicketImage.Height, sof[1] << 8 | sof[2]);
        Assert.Equal(TicketImage.Width, sof[3] << 8 | sof[4]);
        // Entropy-coded data never holds a bare 0xFF except the final EOI.
        var scanStart = markers.Single(m => m.Marker == 0xDA).End;
        for (var i = scanStart; i < jpeg.Length - 2; i++)
            if (jpeg[i] == 0xFF) Assert.Equal(0, jpeg[i + 1]);
    }

    [Fact]
    public void Different_tickets_give_different_pictures()
    {
        var a = TicketImage.Jpeg("8000000000012345", "20261122", "VALID", "1");
        var b = TicketImage.Jpeg("8000000000012346", "20261122", "VALID", "1");
        var c = TicketImage.Jpeg("8000000000012345", "20261122", "REFUNDED", "1");
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
    }

    static List<(int Marker, byte[] Body, int End)> Segments(byte[] jpeg)
    {
        var list = new List<(int, byte[], int)>();
        var i = 2;
        while (i < jpeg.Length)
        {
            Assert.Equal(0xFF, jpeg[i]);
            var marker = jpeg[i + 1];
            var length = jpeg[i + 2] << 8 | jpeg[i + 3];
            list.Add((marker, jpeg[(i + 4)..(i + 2 + length)], i + 2 + length));
            if (marker == 0xDA) break;
            i += 2 + length;
        }
        return list;
    }
}
