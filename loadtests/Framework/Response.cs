namespace Sandbox.LoadTests.Framework;

/// <summary>Outcome of a step or a whole scenario invocation, shaped like NBomber's so flows port over unchanged.</summary>
public class Response
{
    protected Response(bool isError, string statusCode, string message)
    {
        IsError = isError;
        StatusCode = statusCode;
        Message = message;
    }

    public bool IsError { get; }

    public string StatusCode { get; }

    public string Message { get; }

    public static Response<object?> Ok() => new(false, "", "", null);

    public static Response<T> Ok<T>(T payload) => new(false, "", "", payload);

    public static Response<object?> Fail(string statusCode, string message) => new(true, statusCode, message, null);

    public static Response<T> Fail<T>(string statusCode, string message) => new(true, statusCode, message, default);
}

public sealed class Response<T> : Response
{
    internal Response(bool isError, string statusCode, string message, T? payload)
        : base(isError, statusCode, message)
    {
        Payload = payload;
    }

    /// <summary>Set on success; default on failure.</summary>
    public T? Payload { get; }
}
