using System.Diagnostics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>Start-up check that an ffmpeg exists and has the libx264 encoder, so a missing one fails before the first frame, naming what to install.</summary>
internal static class FfmpegCheck
{
    public static void RequireLibx264(string ffmpeg)
    {
        string encoders;
        try
        {
            var psi = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-hide_banner");
            psi.ArgumentList.Add("-encoders");
            using Process p = Process.Start(psi) ?? throw new SourceUnavailableException(ffmpeg, "did not start");
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            encoders = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                p.Kill();
                throw new SourceUnavailableException(ffmpeg, "`ffmpeg -encoders` did not answer within 30 s");
            }
            _ = stderr.Result;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SourceUnavailableException(ffmpeg, $"the overlay video needs ffmpeg with libx264, and '{ffmpeg}' cannot be started ({e.Message}); install it (apt-get install ffmpeg) or set overlay.ffmpeg", e);
        }
        if (!encoders.Contains(" libx264 ", StringComparison.Ordinal))
        {
            throw new SourceUnavailableException(ffmpeg, "this ffmpeg has no libx264 encoder (`ffmpeg -encoders`), which the overlay video needs; Debian's ffmpeg package has it");
        }
    }
}
