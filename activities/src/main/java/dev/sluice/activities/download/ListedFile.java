package dev.sluice.activities.download;

/**
 * One line of a staging list: what step 1 learnt of a file, all step 2 needs to land it.
 *
 * @param index its position in the list
 * @param name where it lands, relative to the sink's directory
 * @param location its absolute HTTP(S) URL, or its file-system URI for a prefix listing
 * @param size its size in bytes, or null when the source gave none
 * @param checksum the checksum the source gave, as written (hex or base64), or null
 * @param algorithm the checksum's algorithm ({@code md5}, {@code sha-1}, {@code sha-256}), or null
 * @param modified its modification time (ISO-8601 instant), or null when the source gave none
 */
public record ListedFile(
    int index,
    String name,
    String location,
    Long size,
    String checksum,
    String algorithm,
    String modified) {}
