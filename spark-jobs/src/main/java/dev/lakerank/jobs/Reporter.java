package dev.lakerank.jobs;

/**
 * Where jobs say what they are doing: the CLI prints it (and labels its progress bar with the
 * current step); tests pass {@link #SILENT}.
 */
public interface Reporter {
  /** A reporter that says nothing. */
  Reporter SILENT =
      new Reporter() {
        @Override
        public void step(String description) {}

        @Override
        public void detail(String message) {}
      };

  /** A new step has begun, for example {@code "ingest bronze.events: reading 12 files"}. */
  void step(String description);

  /** A line worth showing about the current step (a warning, a count). */
  void detail(String message);
}
