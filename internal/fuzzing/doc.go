// Package fuzzing holds fuzz targets that span packages: arbitrary JSON
// bodies sent to every route of the real router (FuzzAPIBodies),
// arbitrary bytes in every field of every form the pages post
// (FuzzFormFields), and the JSON Lines import format through to
// validation and conversion (FuzzJSONL). Their seed corpora live in testdata/fuzz. The package has
// no code of its own.
package fuzzing
