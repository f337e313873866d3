package push

// Diverse exposes diverse to the tests.
var Diverse = diverse
