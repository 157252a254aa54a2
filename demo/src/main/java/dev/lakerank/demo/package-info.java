/**
 * Demo and benchmark code, kept out of the production modules: {@code lakerank benchmark} (timed
 * runs of the batch jobs at several sizes), {@code lakerank stream demo} (the demo's live part) and
 * {@link dev.lakerank.demo.DemoRequests} (the demo's tour of a running serving API, which {@code
 * bin/lakerank demo} runs).
 */
package dev.lakerank.demo;
