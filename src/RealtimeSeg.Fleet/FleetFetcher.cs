using System.Formats.Tar;
using System.Globalization;
using System.Text.Json;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Fleet;

/// <summary>
/// <c>fleet fetch</c>: reads every segment's results of a submitted source, stitches the tracks
/// (<see cref="TrackStitcher"/>) and writes one result set as if processed in one run: <c>OUT/tracks.txt</c>
/// (MOTChallenge), <c>OUT/panoptic.json</c> + <c>OUT/panoptic/*.png</c> (COCO panoptic, track ids stitched) and
/// <c>OUT/stitch.json</c> (the joins).
/// </summary>
public static class FleetFetcher
{
    public static async Task<FetchReport> FetchAsync(FleetConnectionOptions connection, string source, string outDirectory, string? resultsDirectory,
        IPipelineLog log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(outDirectory);
        FleetConnection fleet = await FleetConnection.OpenAsync(connection with { ClientName = "realtimeseg-fetch" }, log, ct).ConfigureAwait(false);
        await using (fleet.ConfigureAwait(false))
        {
            var ledger = new FleetLedger(fleet.Ledger);
            SourcePlan plan = await ledger.PlanAsync(source, ct).ConfigureAwait(false)
                ?? throw new FleetException($"--source '{FrameSourceFactory.Redact(source)}' was never submitted to this fleet (no plan in {FleetNames.LedgerBucket}); the URI must be written as at submit");
            IResultStore results = resultsDirectory is null ? new ObjectStoreResults(fleet.Results) : new DirectoryResults(resultsDirectory);
            var missing = new List<int>();
            foreach (FleetJob job in plan.Jobs)
            {
                if (await ledger.CompletionAsync(job.JobId, ct).ConfigureAwait(false) is null)
                {
                    missing.Add(job.Segment + 1);
                }
            }
            if (missing.Count > 0)
            {
                throw new FleetException($"{FrameSourceFactory.Redact(source)}: {missing.Count} of {plan.Jobs.Count} segments are not done yet (segments {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")}); see fleet status");
            }

            Directory.CreateDirectory(outDirectory);
            string scratch = Directory.CreateTempSubdirectory("rseg-fetch-").FullName;
            try
            {
                var segments = new List<StitchedSegment>(plan.Jobs.Count);
                foreach (FleetJob job in plan.Jobs)
                {
                    byte[] tracks = await ReadAsync(results, job, FleetNames.TracksFile, ct).ConfigureAwait(false);
                    using var reader = new StreamReader(new MemoryStream(tracks));
                    MotSequence sequence = MotTextReader.Read(reader, $"{job.JobId}/{FleetNames.TracksFile}", job.JobId);
                    segments.Add(new StitchedSegment(job, [.. sequence.Records]));
                }
                (List<MotRecord> rows, List<Dictionary<int, int>> maps, List<SegmentJoin> joins) = TrackStitcher.Stitch(segments);
                using (MotTrackWriter writer = MotTrackWriter.Create(Path.Combine(outDirectory, FleetNames.TracksFile)))
                {
                    foreach (MotRecord r in rows)
                    {
                        writer.WriteTrack(r.Frame, r.Id, r.X, r.Y, r.Width, r.Height, r.Confidence);
                    }
                }
                long panopticFrames = await StitchPanopticAsync(plan, results, maps, scratch, outDirectory, ct).ConfigureAwait(false);
                int tracksTotal = rows.Select(r => r.Id).Distinct().Count();
                var report = new FetchReport(FrameSourceFactory.Redact(source), plan.Jobs.Count, tracksTotal, rows.Count, panopticFrames, joins);
                await File.WriteAllBytesAsync(Path.Combine(outDirectory, "stitch.json"), JsonSerializer.SerializeToUtf8Bytes(report, FleetJson.Options), ct).ConfigureAwait(false);
                return report;
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>Merges the segments' COCO panoptic dumps over their owned frames, with stitched track ids; returns the frame count.</summary>
    private static async Task<long> StitchPanopticAsync(SourcePlan plan, IResultStore results, List<Dictionary<int, int>> maps, string scratch, string outDirectory,
        CancellationToken ct)
    {
        CocoPanopticDataset? merged = null;
        string pngOut = Path.Combine(outDirectory, "panoptic");
        Directory.CreateDirectory(pngOut);
        for (int s = 0; s < plan.Jobs.Count; s++)
        {
            FleetJob job = plan.Jobs[s];
            byte[] archive = await ReadAsync(results, job, FleetNames.PanopticArchive, ct).ConfigureAwait(false);
            string folder = Path.Combine(scratch, job.JobId);
            Directory.CreateDirectory(folder);
            await TarFile.ExtractToDirectoryAsync(new MemoryStream(archive), folder, overwriteFiles: true, ct).ConfigureAwait(false);
            CocoPanopticDataset dataset = CocoPanopticDataset.Load(Path.Combine(folder, "panoptic.json"));
            if (merged is null)
            {
                merged = new CocoPanopticDataset();
                merged.Categories.AddRange(dataset.Categories);
            }
            var images = dataset.Images.ToDictionary(i => i.Id);
            foreach (CocoPanopticAnnotation a in dataset.Annotations)
            {
                long number = a.ImageId.Number;
                if (number <= job.StartFrame || number > job.EndFrame)
                {
                    continue; // the overlap: the previous segment's frame
                }
                var stitched = new CocoPanopticAnnotation(a.ImageId, a.FileName);
                foreach (CocoSegmentInfo seg in a.Segments)
                {
                    int? track = seg.TrackId;
                    if (track is int local)
                    {
                        track = maps[s].TryGetValue(local, out int global) ? global
                            : throw new FleetException($"job {job.JobId}: frame {number} of its panoptic dump has track {local}, which its tracks file does not");
                    }
                    stitched.Segments.Add(seg with { TrackId = track });
                }
                merged.Images.Add(images[a.ImageId]);
                merged.Annotations.Add(stitched);
                File.Copy(Path.Combine(folder, "panoptic", a.FileName), Path.Combine(pngOut, a.FileName), overwrite: true);
            }
            Directory.Delete(folder, recursive: true);
        }
        merged!.Info["description"] = string.Create(CultureInfo.InvariantCulture, $"realtimeseg fleet: {plan.Jobs.Count} segments stitched");
        merged.Save(Path.Combine(outDirectory, "panoptic.json"));
        return merged.Annotations.Count;
    }

    private static async Task<byte[]> ReadAsync(IResultStore results, FleetJob job, string name, CancellationToken ct)
        => await results.ReadAsync(job.JobId, name, ct).ConfigureAwait(false)
           ?? throw new FleetException($"job {job.JobId} is recorded as done but {results.Description} has no {job.JobId}/{name}");
}
