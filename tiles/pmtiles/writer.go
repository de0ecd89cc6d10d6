// Package pmtiles writes aimaq's vector tile pyramid as one PMTiles v3
// archive (github.com/protomaps/go-pmtiles encodes the header and the
// directories), so the static tiles can be hosted on object storage behind a
// CDN and read with HTTP range requests. It walks the pyramid of a set of
// layers over a TileSource and knows neither PostGIS nor HTTP.
package pmtiles

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sync"

	"github.com/aimaq/aimaq/tiles"
	pm "github.com/protomaps/go-pmtiles/pmtiles"
)

// rootDirMax is how long the root directory may be: the header and the root
// must fit in the first 16 KiB, which a reader fetches in one request.
const rootDirMax = 16384 - pm.HeaderV3LenBytes

// Writer collects gzip-compressed MVT tiles, in any order and from several
// goroutines, and writes them as one PMTiles archive. Identical tiles (same
// bytes) are stored once; a run of consecutive tile ids with the same bytes
// is one directory entry. Tile bytes wait in a spool file, not in memory.
type Writer struct {
	mu      sync.Mutex
	spool   *os.File
	spooled int64
	// contents maps a tile's SHA-256 to where its bytes are in the spool.
	contents map[[sha256.Size]byte]span
	tiles    []tileRef
}

type span struct {
	off int64
	n   uint32
}

type tileRef struct {
	id  uint64
	sum [sha256.Size]byte
}

// NewWriter returns a Writer whose tile bytes wait in a new temporary file
// in dir ("" is the system's temporary directory). Close removes it.
func NewWriter(dir string) (*Writer, error) {
	f, err := os.CreateTemp(dir, "aimaq-pmtiles-spool-*")
	if err != nil {
		return nil, fmt.Errorf("pmtiles: spool file: %w", err)
	}
	return &Writer{spool: f, contents: map[[sha256.Size]byte]span{}}, nil
}

// Add adds tile t, gzip-compressed MVT bytes. An empty tile is not stored:
// a PMTiles reader answers "no tile" for it, which clients draw as empty.
// Adding the same tile twice is an error.
func (w *Writer) Add(t tiles.Tile, gz []byte) error {
	if len(gz) == 0 {
		return nil
	}
	if len(gz) < 2 || gz[0] != 0x1f || gz[1] != 0x8b {
		return fmt.Errorf("pmtiles: tile %s is not gzip-compressed", t)
	}
	if t.Z > 31 || len(gz) > 1<<31 {
		return fmt.Errorf("pmtiles: tile %s out of range", t)
	}
	sum := sha256.Sum256(gz)
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.contents[sum]; !ok {
		if _, err := w.spool.WriteAt(gz, w.spooled); err != nil {
			return fmt.Errorf("pmtiles: spool tile %s: %w", t, err)
		}
		w.contents[sum] = span{off: w.spooled, n: uint32(len(gz))}
		w.spooled += int64(len(gz))
	}
	w.tiles = append(w.tiles, tileRef{id: pm.ZxyToID(uint8(t.Z), t.X, t.Y), sum: sum})
	return nil
}

// Archive describes the whole archive: the header's fields and the JSON
// metadata (TileJSON fields and anything else worth keeping).
type Archive struct {
	MinZoom, MaxZoom tiles.Zoom
	Bounds           [4]float64 // west, south, east, north in degrees
	Center           [3]float64 // longitude, latitude, zoom
	Metadata         map[string]any
}

// Stats are the figures of a written archive.
type Stats struct {
	Tiles   uint64 // tiles with data (addressed tiles)
	Entries uint64 // directory entries (runs of equal consecutive tiles)
	Unique  uint64 // distinct tile contents stored
	Bytes   int64  // archive size
}

// WriteTo writes the archive to out: header, root directory, metadata, leaf
// directories, then the tile data in tile-id order (a clustered archive).
func (w *Writer) WriteTo(out io.Writer, a Archive) (Stats, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	refs := slices.Clone(w.tiles)
	slices.SortFunc(refs, func(a, b tileRef) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	// Lay the contents out in the order of their first tile, and build the
	// directory with runs of consecutive ids that share bytes.
	var entries []pm.EntryV3
	placed := map[[sha256.Size]byte]uint64{}
	var order [][sha256.Size]byte
	var dataLen uint64
	for i, r := range refs {
		if i > 0 && refs[i-1].id == r.id {
			z, x, y := pm.IDToZxy(r.id)
			return Stats{}, fmt.Errorf("pmtiles: tile %d/%d/%d added twice", z, x, y)
		}
		off, ok := placed[r.sum]
		if !ok {
			off = dataLen
			placed[r.sum] = off
			order = append(order, r.sum)
			dataLen += uint64(w.contents[r.sum].n)
		}
		if n := len(entries); n > 0 {
			last := &entries[n-1]
			if last.Offset == off && last.TileID+uint64(last.RunLength) == r.id {
				last.RunLength++
				continue
			}
		}
		entries = append(entries, pm.EntryV3{TileID: r.id, Offset: off, Length: w.contents[r.sum].n, RunLength: 1})
	}
	if len(entries) == 0 {
		return Stats{}, fmt.Errorf("pmtiles: no tile has data: nothing to write")
	}
	root, leaves, _ := pm.BuildDirectories(entries, rootDirMax, pm.Gzip)
	meta, err := json.Marshal(a.Metadata)
	if err != nil {
		return Stats{}, fmt.Errorf("pmtiles: metadata: %w", err)
	}
	meta, err = gzipped(meta)
	if err != nil {
		return Stats{}, fmt.Errorf("pmtiles: metadata: %w", err)
	}
	h := pm.HeaderV3{
		SpecVersion:         3,
		RootOffset:          pm.HeaderV3LenBytes,
		RootLength:          uint64(len(root)),
		AddressedTilesCount: uint64(len(refs)),
		TileEntriesCount:    uint64(len(entries)),
		TileContentsCount:   uint64(len(order)),
		Clustered:           true,
		InternalCompression: pm.Gzip,
		TileCompression:     pm.Gzip,
		TileType:            pm.Mvt,
		MinZoom:             uint8(a.MinZoom),
		MaxZoom:             uint8(a.MaxZoom),
		MinLonE7:            e7(a.Bounds[0]),
		MinLatE7:            e7(a.Bounds[1]),
		MaxLonE7:            e7(a.Bounds[2]),
		MaxLatE7:            e7(a.Bounds[3]),
		CenterLonE7:         e7(a.Center[0]),
		CenterLatE7:         e7(a.Center[1]),
		CenterZoom:          uint8(a.Center[2]),
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(meta))
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.LeafDirectoryLength = uint64(len(leaves))
	h.TileDataOffset = h.LeafDirectoryOffset + h.LeafDirectoryLength
	h.TileDataLength = dataLen

	bw := bufio.NewWriterSize(out, 1<<20)
	for _, b := range [][]byte{pm.SerializeHeader(h), root, meta, leaves} {
		if _, err := bw.Write(b); err != nil {
			return Stats{}, fmt.Errorf("pmtiles: write: %w", err)
		}
	}
	for _, sum := range order {
		sp := w.contents[sum]
		if _, err := io.Copy(bw, io.NewSectionReader(w.spool, sp.off, int64(sp.n))); err != nil {
			return Stats{}, fmt.Errorf("pmtiles: copy tile data: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return Stats{}, fmt.Errorf("pmtiles: write: %w", err)
	}
	return Stats{
		Tiles:   h.AddressedTilesCount,
		Entries: h.TileEntriesCount,
		Unique:  h.TileContentsCount,
		Bytes:   int64(h.TileDataOffset + h.TileDataLength),
	}, nil
}

// Close removes the spool file.
func (w *Writer) Close() error {
	name := w.spool.Name()
	err := w.spool.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	return err
}

// e7 is a coordinate in the header's fixed point (degrees × 10⁷).
func e7(deg float64) int32 {
	return int32(math.Round(deg * 1e7))
}

func gzipped(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := newGzip(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
