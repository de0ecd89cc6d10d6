package importer

import "testing"

func TestFeeds(t *testing.T) {
	tests := []struct {
		name    string
		after   []string
		dataset string
		want    bool
	}{
		{"prefix matches a level", []string{"boundaries:"}, "boundaries:district", true},
		{"exact name", []string{"stats:population"}, "stats:population", true},
		{"other statistic", []string{"stats:population"}, "stats:schools", false},
		{"a name is not a prefix", []string{"settlements"}, "settlements:extra", false},
		{"unrelated", []string{"boundaries:", "osm"}, "facilities", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feeds(tt.after, tt.dataset); got != tt.want {
				t.Errorf("feeds(%q, %q) = %v, want %v", tt.after, tt.dataset, got, tt.want)
			}
		})
	}
}
