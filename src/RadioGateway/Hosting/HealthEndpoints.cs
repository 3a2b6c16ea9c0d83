using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using RadioGateway.Core.CloudEvents;

namespace RadioGateway.Hosting;

/// <summary>
/// <c>GET /healthz</c> (200 ready, 503 not ready, with the reasons) and <c>GET /metrics</c> (Prometheus text, from
/// OpenTelemetry's exporter over <see cref="GatewayMetrics"/>) on the gateway's web host. Both answer without sign-in:
/// they show no event content, and a monitoring agent has no console account.
/// </summary>
public static class HealthEndpoints
{
    public const string HealthPath = "/healthz";
    public const string MetricsPath = "/metrics";

    /// <summary>Builds the meter provider that feeds <c>/metrics</c> (owned by the gateway's services).</summary>
    /// <summary>Room for 100 radios on two slots; beyond it OpenTelemetry folds new series into one overflow series.</summary>
    internal const int MaxSeriesPerMetric = 200;

    public static MeterProvider CreateMeterProvider() => OpenTelemetry.Sdk.CreateMeterProviderBuilder()
        .AddMeter(GatewayMetrics.MeterName)
        // Series per metric are radios × slots or command states, tens at most; the default room for 2000 is a
        // 144 KB array per metric held for the process's life (1.9 MB of large-object heap, issue 13 #6).
        .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MaxSeriesPerMetric })
        // Each scrape reads the counters as they are now: no cached response between scrapes.
        .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0)
        .Build();

    public static void Map(WebApplication app, IServiceProvider gateway)
    {
        ArgumentNullException.ThrowIfNull(app);
        var health = gateway.GetRequiredService<GatewayHealth>();
        app.MapGet(HealthPath, () =>
        {
            var report = health.Evaluate();
            return Results.Json(
                new HealthDocument(report.Ready ? "ready" : "not-ready", report.Reasons, report.Radios, report.Uplink),
                GatewayJson.Events.TypeInfo<HealthDocument>(),
                statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            gateway.GetRequiredService<MeterProvider>(),
            context => HttpMethods.IsGet(context.Request.Method) && context.Request.Path == MetricsPath,
            path: null,
            configureBranchedPipeline: null,
            optionsName: null);
    }
}
