// Package kinds adapts each importable kind to the import engine
// (importers/batch): which columns it has, how a row becomes the module's
// input, what its natural keys are, and how the module's own rules build
// the record to store.
package kinds
