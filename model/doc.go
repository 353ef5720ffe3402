// Package model holds matui's domain types: the wire types of both ModelArts
// DevEnviron API generations (Gen 1 "/demanager/instances" and Gen 2
// "/notebooks"), the normalised Instance view the UI renders, and the
// validation rules forms call field by field.
//
// The wire types follow ../shared/api/modelarts-devenviron.md; where a seed
// document in ../shared/seeds disagrees with the reference, the seed wins and
// the code says so at the field.
package model
