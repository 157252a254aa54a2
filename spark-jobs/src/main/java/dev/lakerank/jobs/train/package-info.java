/**
 * Training: the ALS recommender on silver interactions and the ranker on the point-in-time training
 * set, their held-out evaluation, export into bundles and registration.
 */
package dev.lakerank.jobs.train;
