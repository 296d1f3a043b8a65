CREATE TABLE "validation_hours" (
	"hour" bigint NOT NULL,
	"result" text NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "validation_hours_hour_result_pk" PRIMARY KEY("hour","result")
);
--> statement-breakpoint
-- The validations already in the timeline, counted once; from here on ingestion keeps the counts.
INSERT INTO "validation_hours" ("hour", "result", "count")
SELECT "at" - "at" % 3600000, "result", count(*) FROM "events" WHERE "kind" = 'validation' GROUP BY "at" - "at" % 3600000, "result";
