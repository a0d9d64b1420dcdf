package zapi.grouproutes.enrichment;

/** What became of one distinct input entry; every entry gets exactly one. */
public enum Outcome {
    /** Link and metadata fetched. */
    OK,
    /** Link fetched, metadata not. */
    PARTIAL,
    /** No link: Z-API refused, did not answer after retries, or answered an error. */
    FAILED,
    /** Not a group ID; never sent to Z-API. */
    REJECTED
}
