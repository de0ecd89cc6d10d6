package access

import "time"

// Run is one compute run the store keeps, as /api/runs lists it: when it ran,
// what data it saw and what it made.
type Run struct {
	ID         int64      `json:"id"`
	Status     string     `json:"status"` // running, done or failed
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	// DataGeneration is the latest import the run saw (0: none); Import
	// describes it while its record exists.
	DataGeneration int64      `json:"data_generation"`
	Import         *RunImport `json:"import"`
	// ParamsDigest is the first 16 hex digits of the SHA-256 of the run's
	// stored parameters: runs with the same digest used the same rules.
	ParamsDigest string `json:"params_digest"`
	Settlements  int64  `json:"settlements"` // settlements with figures
	Areas        int64  `json:"areas"`       // areas with at least one indicator
	// Stale: data was imported after the run read it.
	Stale bool `json:"stale"`
	// Latest: the run the map, the API and the tiles show.
	Latest bool `json:"latest"`
}

// RunImport is the import a compute run saw last.
type RunImport struct {
	ID         int64      `json:"id"`
	Dataset    string     `json:"dataset"`
	Source     string     `json:"source"`
	FinishedAt *time.Time `json:"finished_at"`
}
