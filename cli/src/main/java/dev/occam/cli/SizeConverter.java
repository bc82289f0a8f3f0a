package dev.occam.cli;

import picocli.CommandLine.ITypeConverter;

/** picocli converter for sizes with k/M/G suffixes. */
final class SizeConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        return Sizes.parseSize(value);
    }
}
