using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CleanProdFlow.Reliability;

/// <summary>An answer of the API: the status and the body when it was JSON.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonElement Body, string Text, string? NextCursor = null)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>Whether a node can be reached: drivers wait here while the harness has killed it and it starts again.</summary>
public sealed class NodeGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _up = NewSource(completed: true);

    public void Down()
    {
        lock (_lock)
            if (_up.Task.IsCompleted)
                _up = NewSource(completed: false);
    }

    public void Up()
    {
        lock (_lock)
            _up.TrySetResult();
    }

    public Task WaitUpAsync()
    {
        lock (_lock)
            return _up.Task;
    }

    private static TaskCompletionSource NewSource(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
            source.SetResult();
        return source;
    }
}

/// <summary>
/// The API as the harness's clients use it, signed in as demo users (&lt;role&gt;.&lt;organisation&gt;). A request that
/// fails in transport (the node was killed) is sent again, unchanged and with the same Idempotency-Key, once the
/// node is up; a 401 (token expired by the virtual clock, signing key new) signs in again. Only a 2xx counts as
/// acknowledged — the caller records it.
/// </summary>
public sealed class HarnessApi(Uri baseAddress, string password, NodeGate gate) : IDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);

    private readonly HttpClient _client = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private long _transportFailures;
    private long _requests;
    private long _serverErrors;
    private readonly ConcurrentQueue<string> _serverErrorSamples = new();

    public Uri BaseAddress => baseAddress;

    /// <summary>The demo users' password (users the harness creates get it too).</summary>
    public string Password => password;

    /// <summary>Requests sent (each try counts): the harness kills the node when this passes its random marks.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests that failed in transport (connection refused or reset while the node was down) and were sent again.</summary>
    public long TransportFailures => Interlocked.Read(ref _transportFailures);

    /// <summary>5xx answers: each is a bug.</summary>
    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    public IReadOnlyCollection<string> ServerErrorSamples => _serverErrorSamples;

    public Task<ApiAnswer> PostAsync(string user, string path, object body, string? idempotencyKey = null) =>
        SendAsync(user, HttpMethod.Post, path, body, idempotencyKey);

    public Task<ApiAnswer> GetAsync(string user, string path) => SendAsync(user, HttpMethod.Get, path, null, null);

    public async Task<ApiAnswer> SendAsync(string user, HttpMethod method, string path, object? body, string? idempotencyKey)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var unauthorised = 0;
        while (true)
        {
            await gate.WaitUpAsync();
            try
            {
                var token = await TokenAsync(user);
                using var request = new HttpRequestMessage(method, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (idempotencyKey is not null)
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                if (body is not null)
                    request.Content = JsonContent.Create(body);
                Interlocked.Increment(ref _requests);
                using var response = await _client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Unauthorized && unauthorised++ < 3)
                {
                    _tokens.TryRemove(user, out _);
                    continue;
                }
                if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref _serverErrors);
                    if (_serverErrorSamples.Count < 20)
                        _serverErrorSamples.Enqueue($"{method} {path}: {(int)response.StatusCode} {Shorten(text)}");
                }
                var cursor = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.FirstOrDefault() : null;
                return new ApiAnswer(response.StatusCode, Parse(text), text, cursor);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref _transportFailures);
                if (watch.Elapsed > GiveUpAfter)
                    throw new TimeoutException($"{method} {path}: the node did not answer for {GiveUpAfter}", e);
                // The node is down (killed and not yet marked) or starting: the gate or this pause holds the retry.
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A client of its own signed in as <paramref name="user"/> (for requests the harness does not count, such as the hostile corpus).</summary>
    public async Task<HttpClient> SignedInClientAsync(string user)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        return client;
    }

    /// <summary>Forgets every token (after a restart on a new signing key, or to sign in at the new virtual time).</summary>
    public void ForgetTokens() => _tokens.Clear();

    private async Task<string> TokenAsync(string user)
    {
        if (_tokens.TryGetValue(user, out var token))
            return token;
        using var response = await _client.PostAsJsonAsync("/api/v1/auth/token", new { username = user, password });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            if ((int)response.StatusCode >= 500)
                throw new HttpRequestException($"sign-in of {user} answered {(int)response.StatusCode}");
            throw new InvalidOperationException($"sign-in of {user} answered {(int)response.StatusCode}: {text}");
        }
        token = Parse(text).GetProperty("token").GetString()!;
        _tokens[user] = token;
        return token;
    }

    private static JsonElement Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return default;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    public void Dispose() => _client.Dispose();
}
