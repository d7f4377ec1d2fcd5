using System.Data.Common;
using Microsoft.Extensions.Options;

namespace OutboundVault.Refresh;

/// <summary>
/// The background refresh loop: a sweep every Refresh:Interval (plus jitter), the first one an interval
/// after start. Nothing a sweep throws stops the host: a database outage costs one iteration.
/// </summary>
sealed class RefreshWorker(RefreshSweep sweep, IOptions<RefreshOptions> options, TimeProvider clock, ILogger<RefreshWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.WorkerEnabled)
        {
            logger.LogInformation("The background refresh worker is off (Refresh:WorkerEnabled=false); tokens are refreshed on fetch only");
            return;
        }
        logger.LogInformation("Background refresh: every {Interval}, tokens expiring within {Margin}, {MaxConcurrency} at a time", o.Interval, o.Margin, o.MaxConcurrency);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(o.Interval + o.Jitter * Random.Shared.NextDouble(), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await RunIterationAsync(stoppingToken);
        }
    }

    /// <summary>One iteration with the catch-all: null when it failed or was stopped.</summary>
    public async Task<SweepResult?> RunIterationAsync(CancellationToken ct)
    {
        try
        {
            return await sweep.RunOnceAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            // Database messages name the failure (connection refused, locked), never row values; other messages are not trusted.
            logger.LogError("Refresh sweep failed ({ExceptionType}{Detail}); the next one runs in {Interval}",
                ex.GetType().Name, ex is DbException ? ": " + ex.Message : "", options.Value.Interval);
            return null;
        }
    }
}
