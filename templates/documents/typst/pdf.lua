-- pandoc Lua filter: the PDF's Typst source, written in the same pandoc run as the Word file (render/pdf.py).
-- pandoc reads the Markdown once and writes both: the Word document as its output, and the Typst source to the
-- file that the settings name. The settings (a JSON file named by HANDBOK_TYPST) hold the Typst template, the
-- filter for the PDF route (handbok.lua), the metadata and the template variables. Without HANDBOK_TYPST the filter
-- does nothing. With "only" set, the run writes nothing else: its own output is empty.

local path = os.getenv('HANDBOK_TYPST')

-- The variants of a training pack document (generators/render/variants.py, variants.lua) in one Typst source: a
-- passage that only some variants have stands under a condition on handbok-variant, which pdf.py sets for each copy.
local function variants(blocks, placeholder)
  local out = pandoc.Blocks({})
  local found = false
  for _, block in ipairs(blocks) do
    if block.t == 'Div' and block.classes:includes('handbok-variant') then
      found = true
      local names = {}
      for name in block.attributes['in']:gmatch('%S+') do
        table.insert(names, '"' .. name .. '", ')
      end
      out:insert(pandoc.RawBlock('typst', '#if handbok-variant in (' .. table.concat(names) .. ') ['))
      out:extend(block.content)
      out:insert(pandoc.RawBlock('typst', ']'))
    else
      out:insert(block)
    end
  end
  if found then
    out:insert(1, pandoc.RawBlock('typst', '#let handbok-variant = "' .. placeholder .. '"'))
  end
  return out
end

function Pandoc(doc)
  if path == nil or path == '' then
    return nil
  end
  local settings = pandoc.json.decode(pandoc.system.read_file(path), false)
  local typst
  if settings.images then
    -- The filter of the PDF route, loaded apart so that its functions do not act on the Word document.
    local env = setmetatable({}, { __index = _G })
    assert(loadfile(settings.filter, 't', env))()
    local filter = {}
    for name, fn in pairs(env) do
      if type(fn) == 'function' then
        filter[name] = fn
      end
    end
    typst = doc:walk(filter)
  else
    -- Without an image the filter has nothing to do, and walking the document through Lua costs a tenth of a
    -- second. The metadata is copied, so that the changes below stay out of the Word document.
    local meta = {}
    for key, value in pairs(doc.meta) do
      meta[key] = value
    end
    typst = pandoc.Pandoc(doc.blocks, meta)
  end
  typst.blocks = variants(typst.blocks, settings.variant)
  -- The metadata as the PDF route sets it: the Word run's language is not part of it.
  typst.meta.lang = nil
  for key, value in pairs(settings.meta) do
    typst.meta[key] = value
  end
  local options = pandoc.WriterOptions({
    template = pandoc.template.compile(pandoc.system.read_file(settings.template), settings.template),
    variables = settings.variables,
    wrap_text = 'wrap-none',
  })
  pandoc.system.write_file(settings.out, pandoc.write(typst, 'typst', options))
  if settings.only then
    return pandoc.Pandoc({})
  end
  return nil
end
