using System.Globalization;

namespace Sandbox.Suppliers.FliggyBus.Validation;

/// <summary>
/// A station area (spec §4.3, <c>stationType</c> 2): <c>lng,lat;lng,lat;lng,lat[;…]</c>, at least three points
/// listed clockwise or counter-clockwise along the boundary, never crossing (the seed: A-B-C-D-E, not A then C).
/// </summary>
public static class Geofence
{
    /// <summary>Why the text is not a usable geofence, or null when it is.</summary>
    public static string? Problem(string text)
    {
        var points = new List<(decimal Lng, decimal Lat)>();
        foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var xy = part.Split(',', StringSplitOptions.TrimEntries);
            if (xy.Length != 2 || !TryCoordinate(xy[0], out var lng) || !TryCoordinate(xy[1], out var lat))
                return $"'{part}' is not a 'longitude,latitude' point";
            if (lng is < -180 or > 180 || lat is < -90 or > 90) return $"'{part}' is outside longitude ±180 / latitude ±90";
            points.Add((lng, lat));
        }
        // A closed ring may repeat its first point at the end.
        if (points.Count > 3 && points[0] == points[^1]) points.RemoveAt(points.Count - 1);
        if (points.Count < 3) return $"{points.Count} point(s); a geofence needs at least three";
        if (points.Distinct().Count() != points.Count) return "a point is listed twice";
        var n = points.Count;
        for (var i = 0; i < n; i++)
        for (var j = i + 1; j < n; j++)
        {
            // Neighbouring edges share a point and cannot cross.
            if (j == i + 1 || (i == 0 && j == n - 1)) continue;
            if (Cross(points[i], points[(i + 1) % n], points[j], points[(j + 1) % n]))
                return $"edges {i + 1}-{(i + 1) % n + 1} and {j + 1}-{(j + 1) % n + 1} cross: list the points in boundary order (clockwise or counter-clockwise)";
        }
        decimal area2 = 0;
        for (var i = 0; i < n; i++) area2 += points[i].Lng * points[(i + 1) % n].Lat - points[(i + 1) % n].Lng * points[i].Lat;
        return area2 == 0 ? "the points lie on one line and enclose no area" : null;
    }

    static bool TryCoordinate(string s, out decimal value) =>
        decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    static bool Cross((decimal X, decimal Y) a, (decimal X, decimal Y) b, (decimal X, decimal Y) c, (decimal X, decimal Y) d)
    {
        var d1 = Orientation(c, d, a);
        var d2 = Orientation(c, d, b);
        var d3 = Orientation(a, b, c);
        var d4 = Orientation(a, b, d);
        if (d1 * d2 < 0 && d3 * d4 < 0) return true;
        return (d1 == 0 && Within(c, d, a)) || (d2 == 0 && Within(c, d, b)) || (d3 == 0 && Within(a, b, c)) || (d4 == 0 && Within(a, b, d));
    }

    static int Orientation((decimal X, decimal Y) p, (decimal X, decimal Y) q, (decimal X, decimal Y) r) =>
        Math.Sign((q.X - p.X) * (r.Y - p.Y) - (q.Y - p.Y) * (r.X - p.X));

    static bool Within((decimal X, decimal Y) p, (decimal X, decimal Y) q, (decimal X, decimal Y) r) =>
        r.X >= Math.Min(p.X, q.X) && r.X <= Math.Max(p.X, q.X) && r.Y >= Math.Min(p.Y, q.Y) && r.Y <= Math.Max(p.Y, q.Y);
}
