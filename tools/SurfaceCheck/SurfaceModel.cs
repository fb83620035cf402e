using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.SurfaceCheck
{
    /// <summary>The nanoframework-surface.json document (schema in tools/nano-api/SCHEMA.md).</summary>
    public sealed class SurfaceDocument
    {
        [JsonPropertyName("schema")] public string Schema { get; set; } = "";
        [JsonPropertyName("assemblies")] public List<SurfaceAssembly> Assemblies { get; set; } = new();

        /// <summary>Reads and parses the JSON file.</summary>
        public static SurfaceDocument Load(string path)
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<SurfaceDocument>(stream)
                ?? throw new InvalidDataException($"{path}: empty surface document");
        }
    }

    public sealed class SurfaceAssembly
    {
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("version")] public string Version { get; set; } = "";
        [JsonPropertyName("publicKeyToken")] public string PublicKeyToken { get; set; } = "";
        [JsonPropertyName("publicKey")] public string PublicKey { get; set; } = "";
        [JsonPropertyName("internalsVisibleTo")] public List<string> InternalsVisibleTo { get; set; } = new();
        [JsonPropertyName("nonVisibleTypes")] public List<NonVisibleType> NonVisibleTypes { get; set; } = new();
        [JsonPropertyName("types")] public List<SurfaceType> Types { get; set; } = new();
    }

    public sealed class NonVisibleType
    {
        [JsonPropertyName("namespace")] public string Namespace { get; set; } = "";
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("arity")] public int Arity { get; set; }
        [JsonPropertyName("kind")] public string Kind { get; set; } = "class";
        [JsonPropertyName("declaringType")] public string? DeclaringType { get; set; }
    }

    public sealed class SurfaceType
    {
        [JsonPropertyName("docId")] public string DocId { get; set; } = "";
        [JsonPropertyName("kind")] public string Kind { get; set; } = "";
        [JsonPropertyName("namespace")] public string Namespace { get; set; } = "";
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("fullName")] public string FullName { get; set; } = "";
        [JsonPropertyName("metadataName")] public string MetadataName { get; set; } = "";
        [JsonPropertyName("declaringType")] public string? DeclaringType { get; set; }
        [JsonPropertyName("accessibility")] public string Accessibility { get; set; } = "public";
        [JsonPropertyName("modifiers")] public List<string> Modifiers { get; set; } = new();
        [JsonPropertyName("genericParameters")] public List<GenericParameter>? GenericParameters { get; set; }
        [JsonPropertyName("baseType")] public string? BaseType { get; set; }
        [JsonPropertyName("interfaces")] public List<string>? Interfaces { get; set; }
        [JsonPropertyName("attributes")] public List<AttributeSpec>? Attributes { get; set; }
        [JsonPropertyName("noVisibleConstructors")] public bool NoVisibleConstructors { get; set; }
        [JsonPropertyName("nonVisibleAbstractMembers")] public int NonVisibleAbstractMembers { get; set; }
        [JsonPropertyName("hiddenInstanceFields")] public HiddenFields? HiddenInstanceFields { get; set; }
        [JsonPropertyName("enumUnderlyingType")] public string? EnumUnderlyingType { get; set; }
        [JsonPropertyName("enumMembers")] public List<EnumMember>? EnumMembers { get; set; }
        [JsonPropertyName("invoke")] public DelegateInvoke? Invoke { get; set; }
        [JsonPropertyName("members")] public List<SurfaceMember>? Members { get; set; }
    }

    public sealed class GenericParameter
    {
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("variance")] public string? Variance { get; set; }
        [JsonPropertyName("constraints")] public List<string> Constraints { get; set; } = new();
    }

    public sealed class HiddenFields
    {
        [JsonPropertyName("reference")] public bool Reference { get; set; }
        [JsonPropertyName("value")] public bool Value { get; set; }
        [JsonPropertyName("typeParameters")] public List<string> TypeParameters { get; set; } = new();
    }

    public sealed class EnumMember
    {
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("value")] public JsonElement Value { get; set; }
        [JsonPropertyName("attributes")] public List<AttributeSpec>? Attributes { get; set; }
    }

    public sealed class DelegateInvoke
    {
        [JsonPropertyName("returnType")] public string ReturnType { get; set; } = "void";
        [JsonPropertyName("returnRefKind")] public string? ReturnRefKind { get; set; }
        [JsonPropertyName("parameters")] public List<SurfaceParameter> Parameters { get; set; } = new();
        [JsonPropertyName("nullableContext")] public string? NullableContext { get; set; }
    }

    public sealed class SurfaceMember
    {
        [JsonPropertyName("kind")] public string Kind { get; set; } = "";
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("docId")] public string DocId { get; set; } = "";
        [JsonPropertyName("accessibility")] public string? Accessibility { get; set; }
        [JsonPropertyName("explicitInterface")] public string? ExplicitInterface { get; set; }
        [JsonPropertyName("modifiers")] public List<string> Modifiers { get; set; } = new();
        [JsonPropertyName("nullableContext")] public string? NullableContext { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("refKind")] public string? RefKind { get; set; }
        [JsonPropertyName("value")] public JsonElement Value { get; set; }
        [JsonPropertyName("operator")] public string? Operator { get; set; }
        [JsonPropertyName("returnType")] public string? ReturnType { get; set; }
        [JsonPropertyName("returnRefKind")] public string? ReturnRefKind { get; set; }
        [JsonPropertyName("genericParameters")] public List<GenericParameter>? GenericParameters { get; set; }
        [JsonPropertyName("parameters")] public List<SurfaceParameter>? Parameters { get; set; }
        [JsonPropertyName("accessors")] public Dictionary<string, AccessorSpec>? Accessors { get; set; }
        [JsonPropertyName("attributes")] public List<AttributeSpec>? Attributes { get; set; }
    }

    public sealed class SurfaceParameter
    {
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("type")] public string Type { get; set; } = "";
        [JsonPropertyName("refKind")] public string? RefKind { get; set; }
        [JsonPropertyName("params")] public bool Params { get; set; }
        [JsonPropertyName("scoped")] public bool Scoped { get; set; }
        [JsonPropertyName("default")] public JsonElement Default { get; set; }
        [JsonPropertyName("optional")] public bool Optional { get; set; }
        [JsonPropertyName("attributes")] public List<AttributeSpec>? Attributes { get; set; }
    }

    public sealed class AccessorSpec
    {
        [JsonPropertyName("accessibility")] public string Accessibility { get; set; } = "public";
        [JsonPropertyName("init")] public bool Init { get; set; }
        [JsonPropertyName("readonly")] public bool Readonly { get; set; }
        [JsonPropertyName("attributes")] public List<AttributeSpec>? Attributes { get; set; }
    }

    public sealed class AttributeSpec
    {
        [JsonPropertyName("type")] public string Type { get; set; } = "";
        [JsonPropertyName("arguments")] public List<TypedConstant> Arguments { get; set; } = new();
        [JsonPropertyName("namedArguments")] public List<NamedArgument>? NamedArguments { get; set; }
    }

    public sealed class TypedConstant
    {
        [JsonPropertyName("type")] public string Type { get; set; } = "";
        [JsonPropertyName("value")] public JsonElement Value { get; set; }
    }

    public sealed class NamedArgument
    {
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("value")] public TypedConstant Value { get; set; } = new();
    }
}
