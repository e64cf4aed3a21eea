-- pandoc Lua filter for the PDF (Typst) route: images keep their alternative text.
-- pandoc 3.9's Typst writer drops it, and a tagged PDF (PDF/UA-1) must have it for every image.
-- The text comes from the image's alt attribute (the templates write one), else from its caption.

local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', ' ') .. '"'
end

-- Lengths that Typst understands as they are; anything else (px, em, unitless) is left out.
local function length(value)
  if value and (value:match('^%d+%.?%d*cm$') or value:match('^%d+%.?%d*mm$') or value:match('^%d+%.?%d*in$')
      or value:match('^%d+%.?%d*pt$') or value:match('^%d+%.?%d*%%$')) then
    return value
  end
  return nil
end

function Image(img)
  local alt = img.attributes.alt
  if alt == nil or alt == '' then
    alt = pandoc.utils.stringify(img.caption)
  end
  local args = { typst_string(img.src) }
  for _, dim in ipairs({ 'width', 'height' }) do
    local v = length(img.attributes[dim])
    if v then
      table.insert(args, dim .. ': ' .. v)
    end
  end
  table.insert(args, 'alt: ' .. typst_string(alt))
  return pandoc.RawInline('typst', '#box(image(' .. table.concat(args, ', ') .. '))')
end
