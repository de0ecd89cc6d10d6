package compute_test

import (
	"encoding/json"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
)

// storedParams is compute_run.params as runs store it: a run with the
// default options must store exactly this. Issue 8.7 added FerryKmh (ferries
// are edges now) and made a tagged maxspeed cap the class speed: runs before
// it stored the same without FerryKmh.
const storedParams = `{"speeds":{"Paved":{"living_street":10,"motorway":110,"motorway_link":60,"primary":80,"primary_link":45,"residential":30,"road":40,"secondary":70,"secondary_link":40,"service":20,"tertiary":60,"tertiary_link":35,"track":30,"trunk":90,"trunk_link":50,"unclassified":50},"Unpaved":{"living_street":10,"motorway":60,"motorway_link":40,"primary":50,"primary_link":30,"residential":20,"road":30,"secondary":45,"secondary_link":30,"service":15,"tertiary":40,"tertiary_link":25,"track":25,"trunk":60,"trunk_link":35,"unclassified":35},"Default":30,"FerryKmh":10,"Walk":5,"OffNetworkKmh":0,"FallbackKmh":40},"max_snap_m":5000,"circuity":1.3,"fallback_kmh":40}`

func TestParamsUnchanged(t *testing.T) {
	got, err := json.Marshal(compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != storedParams {
		t.Errorf("params\n got %s\nwant %s", got, storedParams)
	}
}
