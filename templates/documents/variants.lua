-- pandoc Lua filter: the variants of a training pack document from one reading of their Markdown
-- (generators/render/variants.py). The Markdown holds every variant's blocks once; a passage that only some
-- variants have is a div of the class handbok-variant that names them (in="0 2"). The settings (a JSON file named
-- by HANDBOK_VARIANTS) hold the format, the writer's options and the file for each variant after the first. Each of
-- those is written here with its own blocks; the first variant is returned, and pandoc writes it as its output.
-- Without HANDBOK_VARIANTS the filter does nothing. Runs after typst/pdf.lua, which needs every variant's blocks.

local path = os.getenv('HANDBOK_VARIANTS')

-- The blocks of variant ``key`` ("0", "1", ...): the shared ones, and the passages that name it.
local function chosen(blocks, key)
  local out = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    if block.t == 'Div' and block.classes:includes('handbok-variant') then
      for name in block.attributes['in']:gmatch('%S+') do
        if name == key then
          out:extend(block.content)
          break
        end
      end
    else
      out:insert(block)
    end
  end
  return out
end

function Pandoc(doc)
  if path == nil or path == '' then
    return nil
  end
  local settings = pandoc.json.decode(pandoc.system.read_file(path), false)
  local options = pandoc.WriterOptions({
    reference_doc = settings.reference,
    table_of_contents = settings.toc,
    toc_depth = settings.toc_depth,
    slide_level = settings.slide_level,
  })
  for i, out in ipairs(settings.outputs) do
    pandoc.system.write_file(out, pandoc.write(pandoc.Pandoc(chosen(doc.blocks, tostring(i)), doc.meta),
                                               settings.format, options))
  end
  return pandoc.Pandoc(chosen(doc.blocks, '0'), doc.meta)
end
