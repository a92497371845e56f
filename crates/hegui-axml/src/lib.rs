//! Android binary XML (AXML) and resource table (ARSC) reader.
