using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RadioGateway.Hosting;

/// <summary>
/// Runs the host under the Windows Service Control Manager (Microsoft.Extensions.Hosting.WindowsServices
/// is not on our package mirror): reports START_PENDING → RUNNING, turns STOP/SHUTDOWN into a graceful host
/// stop, and reports STOPPED when the host is done. Win32 service API: advapi32 StartServiceCtrlDispatcherW,
/// RegisterServiceCtrlHandlerExW, SetServiceStatus.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed partial class WindowsServiceLifetime : IHostLifetime, IDisposable
{
    private const int ServiceWin32OwnProcess = 0x10;
    private const int StateStopped = 1;
    private const int StateStartPending = 2;
    private const int StateStopPending = 3;
    private const int StateRunning = 4;
    private const int AcceptStop = 0x1;
    private const int AcceptShutdown = 0x4;
    private const int ControlStop = 0x1;
    private const int ControlShutdown = 0x5;
    private const int ControlInterrogate = 0x4;

    private readonly IHostApplicationLifetime _application;
    private readonly ILogger<WindowsServiceLifetime> _logger;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _stopped = new();
    private readonly ServiceMainCallback _serviceMain;
    private readonly HandlerCallback _handler;
    private IntPtr _statusHandle;
    private ServiceStatus _status;

    public WindowsServiceLifetime(IHostApplicationLifetime application, ILogger<WindowsServiceLifetime> logger)
    {
        _application = application;
        _logger = logger;
        _serviceMain = ServiceMain;
        _handler = Handler;
    }

    /// <summary>True when this process was started by the Service Control Manager.</summary>
    public static bool IsWindowsService() => !Environment.UserInteractive;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _application.ApplicationStarted.Register(() => SetState(StateRunning));
        _application.ApplicationStopping.Register(() => SetState(StateStopPending));
        _application.ApplicationStopped.Register(() =>
        {
            SetState(StateStopped);
            _stopped.Set();
        });

        var dispatcher = new Thread(RunDispatcher) { IsBackground = true, Name = "Windows service dispatcher" };
        dispatcher.Start();
        return _started.Task.WaitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopped.Dispose();

    private void RunDispatcher()
    {
        var table = new[]
        {
            new ServiceTableEntry { ServiceName = Marshal.StringToHGlobalUni(""), ServiceMain = Marshal.GetFunctionPointerForDelegate(_serviceMain) },
            default,
        };
        try
        {
            if (!StartServiceCtrlDispatcherW(table))
            {
                _started.TrySetException(new InvalidOperationException($"StartServiceCtrlDispatcher failed with Win32 error {Marshal.GetLastPInvokeError()}: not started by the Service Control Manager?"));
            }
        }
        finally
        {
            Marshal.FreeHGlobal(table[0].ServiceName);
        }
    }

    private void ServiceMain(int argc, IntPtr argv)
    {
        _statusHandle = RegisterServiceCtrlHandlerExW("", Marshal.GetFunctionPointerForDelegate(_handler), IntPtr.Zero);
        _status = new ServiceStatus { ServiceType = ServiceWin32OwnProcess, ControlsAccepted = AcceptStop | AcceptShutdown };
        SetState(StateStartPending);
        _started.TrySetResult();
        _stopped.Wait();
    }

    private int Handler(int control, int eventType, IntPtr eventData, IntPtr context)
    {
        switch (control)
        {
            case ControlStop:
            case ControlShutdown:
                LogStopRequested(control == ControlStop ? "stop" : "system shutdown");
                SetState(StateStopPending);
                _application.StopApplication();
                return 0;
            case ControlInterrogate:
                return 0;
            default:
                return 120; // ERROR_CALL_NOT_IMPLEMENTED
        }
    }

    private void SetState(int state)
    {
        if (_statusHandle == IntPtr.Zero)
        {
            return;
        }

        _status.CurrentState = state;
        _status.WaitHint = state is StateStartPending or StateStopPending ? 20_000 : 0;
        _status.CheckPoint = state is StateStartPending or StateStopPending ? _status.CheckPoint + 1 : 0;
        SetServiceStatus(_statusHandle, ref _status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Service Control Manager asked for {Reason}")]
    private partial void LogStopRequested(string reason);

    [UnmanagedFunctionPointer(CallingConvention.Winapi)]
    private delegate void ServiceMainCallback(int argc, IntPtr argv);

    [UnmanagedFunctionPointer(CallingConvention.Winapi)]
    private delegate int HandlerCallback(int control, int eventType, IntPtr eventData, IntPtr context);

    [StructLayout(LayoutKind.Sequential)]
    private struct ServiceTableEntry
    {
        public IntPtr ServiceName;
        public IntPtr ServiceMain;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ServiceStatus
    {
        public int ServiceType;
        public int CurrentState;
        public int ControlsAccepted;
        public int Win32ExitCode;
        public int ServiceSpecificExitCode;
        public int CheckPoint;
        public int WaitHint;
    }

    [LibraryImport("advapi32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool StartServiceCtrlDispatcherW([In] ServiceTableEntry[] table);

    [LibraryImport("advapi32.dll", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    private static partial IntPtr RegisterServiceCtrlHandlerExW(string serviceName, IntPtr handler, IntPtr context);

    [LibraryImport("advapi32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetServiceStatus(IntPtr handle, ref ServiceStatus status);
}
