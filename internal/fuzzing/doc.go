// Package fuzzing holds fuzz targets that span packages: arbitrary JSON
// bodies sent to every route of the real router (FuzzAPIBodies), and the
// JSON Lines import format through to validation and conversion
// (FuzzJSONL). Their seed corpora live in testdata/fuzz. The package has
// no code of its own.
package fuzzing
