namespace RadioGateway.Core.Outbox;

/// <summary>
/// What the outbox drains into: the MQTT uplink, adapted. Publishes at QoS 1.
/// </summary>
public interface IUplinkPublisher
{
    /// <summary>
    /// Publishes one message. The task completes when the broker acknowledged it (PUBACK, [MQTT-4.3.2-4]);
    /// it faults when the message may not have arrived (not connected, connection lost, refused).
    /// Calls are made in outbox order and may overlap (a window of messages in flight).
    /// </summary>
    /// <exception cref="MessageTooLargeForUplinkException">The broker will never take this message.</exception>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}

/// <summary>The uplink can never carry this message (larger than the broker accepts): the drainer sets it aside.</summary>
public sealed class MessageTooLargeForUplinkException(string message, Exception? inner = null) : Exception(message, inner);
