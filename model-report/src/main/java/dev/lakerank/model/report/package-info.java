/**
 * HTML reports of registered models: one self-contained page per version (metrics, parameters,
 * lineage, features, and the evaluation curves drawn as inline SVG) and an index of every model
 * with its aliases. The pages load nothing from the network and run no script, so they open offline
 * and can be attached to a review or served as static files.
 */
package dev.lakerank.model.report;
