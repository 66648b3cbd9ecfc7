using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CleanProdFlow.Web.Tests;

/// <summary>What an integrator does: sign in for a token, then call the API with it.</summary>
public static class ApiClient
{
    public static async Task<string> TokenAsync(this HttpClient client, string username, string password = CpfWebFactory.Password)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    public static async Task<HttpClient> SignedInAsync(this CpfWebFactory factory, string username)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.TokenAsync(username));
        return client;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        // Read as text (which can be repeated), so a test may look at the body more than once.
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>The reasons a problem+json answer gives for one field.</summary>
    public static async Task<string[]> FieldErrorsAsync(this HttpResponseMessage response, string field)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.True(body.TryGetProperty("errors", out var errors), $"no 'errors' in {body}");
        Assert.True(errors.TryGetProperty(field, out var reasons), $"no error for '{field}' in {errors}");
        return reasons.EnumerateArray().Select(r => r.GetString()!).ToArray();
    }
}
