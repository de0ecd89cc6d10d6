// Package config holds aimaq's settings. They are read once, in cmd/aimaq,
// from flags and environment variables, and passed down as a value.
package config

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the aimaq binary.
type Config struct {
	Addr         string        // AIMAQ_ADDR: listen address of the HTTP server
	Home         string        // AIMAQ_HOME: private cluster and state directory
	DataDir      string        // AIMAQ_DATA_DIR: the real Kazakhstan data set
	DatabaseURL  string        // AIMAQ_DATABASE_URL: external PostgreSQL; empty = embedded cluster
	DBPort       int           // AIMAQ_DB_PORT: also listen on 127.0.0.1:port in the embedded cluster (0 = socket only)
	QueryTimeout time.Duration // AIMAQ_QUERY_TIMEOUT: per-request database timeout
	PublicURL    string        // AIMAQ_PUBLIC_URL: base URL for absolute links; empty = from the request
	AllowedHosts string        // AIMAQ_ALLOWED_HOSTS: comma-separated Host values links may come from; empty = loopback and this machine's addresses
	CORSOrigins  string        // AIMAQ_CORS_ORIGINS: comma-separated origins browsers may read answers from; empty = * (any)
	WarmMaxZoom  int           // AIMAQ_WARM_MAXZOOM: deepest zoom the tile cache is warmed to after each data change; 0 = 8, negative = off
}

// List splits a comma-separated setting into its trimmed, non-empty items.
func List(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Defaults returns the configuration used when nothing is set.
func Defaults() Config {
	return Config{
		Addr:         ":8080",
		Home:         ".aimaq",
		DataDir:      "../shared/data/kz",
		QueryTimeout: 10 * time.Second,
	}
}

// Env is a lookup function such as os.LookupEnv.
type Env func(string) (string, bool)

// Load applies environment variables over the defaults and registers flags on fs
// that override both. Call fs.Parse afterwards.
func Load(fs *flag.FlagSet, env Env) (*Config, error) {
	c := Defaults()
	str := func(dst *string, name string) {
		if v, ok := env(name); ok && v != "" {
			*dst = v
		}
	}
	str(&c.Addr, "AIMAQ_ADDR")
	str(&c.Home, "AIMAQ_HOME")
	str(&c.DataDir, "AIMAQ_DATA_DIR")
	str(&c.DatabaseURL, "AIMAQ_DATABASE_URL")
	str(&c.PublicURL, "AIMAQ_PUBLIC_URL")
	str(&c.AllowedHosts, "AIMAQ_ALLOWED_HOSTS")
	str(&c.CORSOrigins, "AIMAQ_CORS_ORIGINS")
	if v, ok := env("AIMAQ_DB_PORT"); ok && v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 {
			return nil, fmt.Errorf("AIMAQ_DB_PORT=%q: want a port number 0..65535", v)
		}
		c.DBPort = p
	}
	if v, ok := env("AIMAQ_WARM_MAXZOOM"); ok && v != "" {
		z, err := strconv.Atoi(v)
		if err != nil || z > 14 {
			return nil, fmt.Errorf("AIMAQ_WARM_MAXZOOM=%q: want a zoom 0..14, or -1 to turn warming off", v)
		}
		c.WarmMaxZoom = z
	}
	if v, ok := env("AIMAQ_QUERY_TIMEOUT"); ok && v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("AIMAQ_QUERY_TIMEOUT=%q: want a positive duration such as 10s", v)
		}
		c.QueryTimeout = d
	}
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (AIMAQ_ADDR)")
	fs.StringVar(&c.Home, "home", c.Home, "directory of the private database cluster (AIMAQ_HOME)")
	fs.StringVar(&c.DataDir, "data", c.DataDir, "directory of the Kazakhstan data set (AIMAQ_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "external PostgreSQL URL; empty runs the embedded cluster (AIMAQ_DATABASE_URL)")
	fs.IntVar(&c.DBPort, "db-port", c.DBPort, "embedded cluster: also listen on 127.0.0.1:PORT (AIMAQ_DB_PORT)")
	fs.DurationVar(&c.QueryTimeout, "query-timeout", c.QueryTimeout, "per-request database timeout (AIMAQ_QUERY_TIMEOUT)")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "base URL for absolute links in TileJSON, styles and OGC (AIMAQ_PUBLIC_URL)")
	fs.StringVar(&c.AllowedHosts, "allowed-hosts", c.AllowedHosts, "without -public-url: comma-separated Host values absolute links may be built from; others get relative links (AIMAQ_ALLOWED_HOSTS; default loopback and this machine's addresses)")
	fs.IntVar(&c.WarmMaxZoom, "warm-maxzoom", c.WarmMaxZoom, "deepest zoom the tile cache is warmed to, in the background, after each data change; 0 means 8, -1 turns warming off (AIMAQ_WARM_MAXZOOM)")
	fs.StringVar(&c.CORSOrigins, "cors-origins", c.CORSOrigins, "comma-separated origins browser scripts may read answers from (AIMAQ_CORS_ORIGINS; default *)")
	return &c, nil
}
