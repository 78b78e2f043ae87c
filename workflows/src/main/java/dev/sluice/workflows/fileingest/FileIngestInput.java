package dev.sluice.workflows.fileingest;

/**
 * One request to ingest one file.
 *
 * @param uri the file: {@code http(s)://…} or a Hadoop {@code FileSystem} URI ({@code file:///…},
 *     {@code hdfs://…}, {@code s3a://…}); a name ending in {@code .gz} is gunzipped
 * @param dataset the dataset's name; part of the workflow ID and of the staged file names
 * @param format {@code csv}, {@code json} or {@code ndjson}, already resolved (the CLI takes it
 *     from {@code --format} or the file's extension)
 * @param tableUri the dataset's table directory, absolute ({@code <lake>/<dataset>}), so a worker
 *     never depends on the directory the request was made from
 */
public record FileIngestInput(String uri, String dataset, String format, String tableUri) {}
