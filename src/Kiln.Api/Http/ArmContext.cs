using Kiln.Control;
using Kiln.Control.Persistence;
using Kiln.Domain.Identity;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Http;

/// <summary>One authenticated ARM request: who calls, with which api-version, against which control plane.</summary>
public sealed class ArmContext(HttpContext http, ControlPlane plane, Principal caller, TimeSpan operationPollHint, int pageSize)
{
    public HttpContext Http { get; } = http;
    public ControlPlane Plane { get; } = plane;
    public Principal Caller { get; } = caller;
    public IResourceStore Store => Plane.Store;
    public CancellationToken Aborted => Http.RequestAborted;
    public string Method => Http.Request.Method;
    public string? ApiVersion => Http.Request.Query["api-version"].FirstOrDefault();
    public TimeSpan OperationPollHint { get; } = operationPollHint;

    /// <summary>Most items one list page answers (<see cref="ArmPaging"/>).</summary>
    public int PageSize { get; } = pageSize;

    /// <summary>https://host:port as the client addressed us, so URLs we hand out work with any port.</summary>
    public string BaseUri => $"{Http.Request.Scheme}://{Http.Request.Host}";

    public string Actor => Caller.ClientId;
    public DateTimeOffset Now => Plane.Clock.GetUtcNow();

    public string Query(string name) => Http.Request.Query[name].FirstOrDefault() ?? "";
}
