package glyphs

import (
	"strconv"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of MapLibre's glyphs.proto:
//
//	message glyphs    { repeated fontstack stacks = 1; }
//	message fontstack { required string name = 1; required string range = 2; repeated glyph glyphs = 3; }
//	message glyph     { required uint32 id = 1; optional bytes bitmap = 2;
//	                    required uint32 width = 3; required uint32 height = 4;
//	                    required sint32 left = 5; required sint32 top = 6; required uint32 advance = 7; }
const (
	fieldStacks = 1

	fieldStackName   = 1
	fieldStackRange  = 2
	fieldStackGlyphs = 3

	fieldGlyphID      = 1
	fieldGlyphBitmap  = 2
	fieldGlyphWidth   = 3
	fieldGlyphHeight  = 4
	fieldGlyphLeft    = 5
	fieldGlyphTop     = 6
	fieldGlyphAdvance = 7
)

// encode returns g as a glyph message, without its field tag.
func (g glyph) encode() []byte {
	b := make([]byte, 0, len(g.Bitmap)+32)
	b = protowire.AppendTag(b, fieldGlyphID, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(g.ID))
	if g.Bitmap != nil {
		b = protowire.AppendTag(b, fieldGlyphBitmap, protowire.BytesType)
		b = protowire.AppendBytes(b, g.Bitmap)
	}
	b = protowire.AppendTag(b, fieldGlyphWidth, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(g.Width))
	b = protowire.AppendTag(b, fieldGlyphHeight, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(g.Height))
	b = protowire.AppendTag(b, fieldGlyphLeft, protowire.VarintType)
	b = protowire.AppendVarint(b, protowire.EncodeZigZag(int64(g.Left)))
	b = protowire.AppendTag(b, fieldGlyphTop, protowire.VarintType)
	b = protowire.AppendVarint(b, protowire.EncodeZigZag(int64(g.Top)))
	b = protowire.AppendTag(b, fieldGlyphAdvance, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(g.Advance))
	return b
}

// encodeGlyphs returns a glyphs message of one font stack holding the
// encoded glyph messages.
func encodeGlyphs(name string, start, end int, glyphs [][]byte) []byte {
	rng := strconv.Itoa(start) + "-" + strconv.Itoa(end)
	n := 0
	for _, g := range glyphs {
		n += protowire.SizeTag(fieldStackGlyphs) + protowire.SizeBytes(len(g))
	}
	stack := make([]byte, 0, n+len(name)+len(rng)+8)
	stack = protowire.AppendTag(stack, fieldStackName, protowire.BytesType)
	stack = protowire.AppendString(stack, name)
	stack = protowire.AppendTag(stack, fieldStackRange, protowire.BytesType)
	stack = protowire.AppendString(stack, rng)
	for _, g := range glyphs {
		stack = protowire.AppendTag(stack, fieldStackGlyphs, protowire.BytesType)
		stack = protowire.AppendBytes(stack, g)
	}
	out := make([]byte, 0, len(stack)+protowire.SizeTag(fieldStacks)+protowire.SizeVarint(uint64(len(stack))))
	out = protowire.AppendTag(out, fieldStacks, protowire.BytesType)
	return protowire.AppendBytes(out, stack)
}
