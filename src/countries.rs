//! ISO 3166-1 alpha-2 countries with their French, English and Spanish short names.

/// One country: ISO 3166-1 alpha-2 code, French, English and Spanish names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
    pub es: &'static str,
}

/// Every officially assigned code, sorted by code.
#[rustfmt::skip]
pub const COUNTRIES: &[Country] = &[
    Country { code: "AD", fr: "Andorre", en: "Andorra", es: "Andorra" },
    Country { code: "AE", fr: "Émirats arabes unis", en: "United Arab Emirates", es: "Emiratos Árabes Unidos" },
    Country { code: "AF", fr: "Afghanistan", en: "Afghanistan", es: "Afganistán" },
    Country { code: "AG", fr: "Antigua-et-Barbuda", en: "Antigua and Barbuda", es: "Antigua y Barbuda" },
    Country { code: "AI", fr: "Anguilla", en: "Anguilla", es: "Anguila" },
    Country { code: "AL", fr: "Albanie", en: "Albania", es: "Albania" },
    Country { code: "AM", fr: "Arménie", en: "Armenia", es: "Armenia" },
    Country { code: "AO", fr: "Angola", en: "Angola", es: "Angola" },
    Country { code: "AQ", fr: "Antarctique", en: "Antarctica", es: "Antártida" },
    Country { code: "AR", fr: "Argentine", en: "Argentina", es: "Argentina" },
    Country { code: "AS", fr: "Samoa américaines", en: "American Samoa", es: "Samoa Americana" },
    Country { code: "AT", fr: "Autriche", en: "Austria", es: "Austria" },
    Country { code: "AU", fr: "Australie", en: "Australia", es: "Australia" },
    Country { code: "AW", fr: "Aruba", en: "Aruba", es: "Aruba" },
    Country { code: "AX", fr: "Îles Åland", en: "Åland Islands", es: "Islas Åland" },
    Country { code: "AZ", fr: "Azerbaïdjan", en: "Azerbaijan", es: "Azerbaiyán" },
    Country { code: "BA", fr: "Bosnie-Herzégovine", en: "Bosnia and Herzegovina", es: "Bosnia y Herzegovina" },
    Country { code: "BB", fr: "Barbade", en: "Barbados", es: "Barbados" },
    Country { code: "BD", fr: "Bangladesh", en: "Bangladesh", es: "Bangladés" },
    Country { code: "BE", fr: "Belgique", en: "Belgium", es: "Bélgica" },
    Country { code: "BF", fr: "Burkina Faso", en: "Burkina Faso", es: "Burkina Faso" },
    Country { code: "BG", fr: "Bulgarie", en: "Bulgaria", es: "Bulgaria" },
    Country { code: "BH", fr: "Bahreïn", en: "Bahrain", es: "Baréin" },
    Country { code: "BI", fr: "Burundi", en: "Burundi", es: "Burundi" },
    Country { code: "BJ", fr: "Bénin", en: "Benin", es: "Benín" },
    Country { code: "BL", fr: "Saint-Barthélemy", en: "Saint Barthélemy", es: "San Bartolomé" },
    Country { code: "BM", fr: "Bermudes", en: "Bermuda", es: "Bermudas" },
    Country { code: "BN", fr: "Brunei", en: "Brunei", es: "Brunéi" },
    Country { code: "BO", fr: "Bolivie", en: "Bolivia", es: "Bolivia" },
    Country { code: "BQ", fr: "Bonaire, Saint-Eustache et Saba", en: "Bonaire, Sint Eustatius and Saba", es: "Bonaire, San Eustaquio y Saba" },
    Country { code: "BR", fr: "Brésil", en: "Brazil", es: "Brasil" },
    Country { code: "BS", fr: "Bahamas", en: "Bahamas", es: "Bahamas" },
    Country { code: "BT", fr: "Bhoutan", en: "Bhutan", es: "Bután" },
    Country { code: "BV", fr: "Île Bouvet", en: "Bouvet Island", es: "Isla Bouvet" },
    Country { code: "BW", fr: "Botswana", en: "Botswana", es: "Botsuana" },
    Country { code: "BY", fr: "Biélorussie", en: "Belarus", es: "Bielorrusia" },
    Country { code: "BZ", fr: "Belize", en: "Belize", es: "Belice" },
    Country { code: "CA", fr: "Canada", en: "Canada", es: "Canadá" },
    Country { code: "CC", fr: "Îles Cocos", en: "Cocos (Keeling) Islands", es: "Islas Cocos (Keeling)" },
    Country { code: "CD", fr: "République démocratique du Congo", en: "Democratic Republic of the Congo", es: "República Democrática del Congo" },
    Country { code: "CF", fr: "République centrafricaine", en: "Central African Republic", es: "República Centroafricana" },
    Country { code: "CG", fr: "Congo", en: "Republic of the Congo", es: "República del Congo" },
    Country { code: "CH", fr: "Suisse", en: "Switzerland", es: "Suiza" },
    Country { code: "CI", fr: "Côte d'Ivoire", en: "Côte d'Ivoire", es: "Côte d'Ivoire" },
    Country { code: "CK", fr: "Îles Cook", en: "Cook Islands", es: "Islas Cook" },
    Country { code: "CL", fr: "Chili", en: "Chile", es: "Chile" },
    Country { code: "CM", fr: "Cameroun", en: "Cameroon", es: "Camerún" },
    Country { code: "CN", fr: "Chine", en: "China", es: "China" },
    Country { code: "CO", fr: "Colombie", en: "Colombia", es: "Colombia" },
    Country { code: "CR", fr: "Costa Rica", en: "Costa Rica", es: "Costa Rica" },
    Country { code: "CU", fr: "Cuba", en: "Cuba", es: "Cuba" },
    Country { code: "CV", fr: "Cap-Vert", en: "Cape Verde", es: "Cabo Verde" },
    Country { code: "CW", fr: "Curaçao", en: "Curaçao", es: "Curazao" },
    Country { code: "CX", fr: "Île Christmas", en: "Christmas Island", es: "Isla de Navidad" },
    Country { code: "CY", fr: "Chypre", en: "Cyprus", es: "Chipre" },
    Country { code: "CZ", fr: "Tchéquie", en: "Czechia", es: "Chequia" },
    Country { code: "DE", fr: "Allemagne", en: "Germany", es: "Alemania" },
    Country { code: "DJ", fr: "Djibouti", en: "Djibouti", es: "Yibuti" },
    Country { code: "DK", fr: "Danemark", en: "Denmark", es: "Dinamarca" },
    Country { code: "DM", fr: "Dominique", en: "Dominica", es: "Dominica" },
    Country { code: "DO", fr: "République dominicaine", en: "Dominican Republic", es: "República Dominicana" },
    Country { code: "DZ", fr: "Algérie", en: "Algeria", es: "Argelia" },
    Country { code: "EC", fr: "Équateur", en: "Ecuador", es: "Ecuador" },
    Country { code: "EE", fr: "Estonie", en: "Estonia", es: "Estonia" },
    Country { code: "EG", fr: "Égypte", en: "Egypt", es: "Egipto" },
    Country { code: "EH", fr: "Sahara occidental", en: "Western Sahara", es: "Sahara Occidental" },
    Country { code: "ER", fr: "Érythrée", en: "Eritrea", es: "Eritrea" },
    Country { code: "ES", fr: "Espagne", en: "Spain", es: "España" },
    Country { code: "ET", fr: "Éthiopie", en: "Ethiopia", es: "Etiopía" },
    Country { code: "FI", fr: "Finlande", en: "Finland", es: "Finlandia" },
    Country { code: "FJ", fr: "Fidji", en: "Fiji", es: "Fiyi" },
    Country { code: "FK", fr: "Îles Malouines", en: "Falkland Islands", es: "Islas Malvinas" },
    Country { code: "FM", fr: "Micronésie", en: "Micronesia", es: "Micronesia" },
    Country { code: "FO", fr: "Îles Féroé", en: "Faroe Islands", es: "Islas Feroe" },
    Country { code: "FR", fr: "France", en: "France", es: "Francia" },
    Country { code: "GA", fr: "Gabon", en: "Gabon", es: "Gabón" },
    Country { code: "GB", fr: "Royaume-Uni", en: "United Kingdom", es: "Reino Unido" },
    Country { code: "GD", fr: "Grenade", en: "Grenada", es: "Granada" },
    Country { code: "GE", fr: "Géorgie", en: "Georgia", es: "Georgia" },
    Country { code: "GF", fr: "Guyane", en: "French Guiana", es: "Guayana Francesa" },
    Country { code: "GG", fr: "Guernesey", en: "Guernsey", es: "Guernsey" },
    Country { code: "GH", fr: "Ghana", en: "Ghana", es: "Ghana" },
    Country { code: "GI", fr: "Gibraltar", en: "Gibraltar", es: "Gibraltar" },
    Country { code: "GL", fr: "Groenland", en: "Greenland", es: "Groenlandia" },
    Country { code: "GM", fr: "Gambie", en: "Gambia", es: "Gambia" },
    Country { code: "GN", fr: "Guinée", en: "Guinea", es: "Guinea" },
    Country { code: "GP", fr: "Guadeloupe", en: "Guadeloupe", es: "Guadalupe" },
    Country { code: "GQ", fr: "Guinée équatoriale", en: "Equatorial Guinea", es: "Guinea Ecuatorial" },
    Country { code: "GR", fr: "Grèce", en: "Greece", es: "Grecia" },
    Country { code: "GS", fr: "Géorgie du Sud-et-les îles Sandwich du Sud", en: "South Georgia and the South Sandwich Islands", es: "Islas Georgias del Sur y Sandwich del Sur" },
    Country { code: "GT", fr: "Guatemala", en: "Guatemala", es: "Guatemala" },
    Country { code: "GU", fr: "Guam", en: "Guam", es: "Guam" },
    Country { code: "GW", fr: "Guinée-Bissau", en: "Guinea-Bissau", es: "Guinea-Bisáu" },
    Country { code: "GY", fr: "Guyana", en: "Guyana", es: "Guyana" },
    Country { code: "HK", fr: "Hong Kong", en: "Hong Kong", es: "Hong Kong" },
    Country { code: "HM", fr: "Îles Heard-et-MacDonald", en: "Heard Island and McDonald Islands", es: "Islas Heard y McDonald" },
    Country { code: "HN", fr: "Honduras", en: "Honduras", es: "Honduras" },
    Country { code: "HR", fr: "Croatie", en: "Croatia", es: "Croacia" },
    Country { code: "HT", fr: "Haïti", en: "Haiti", es: "Haití" },
    Country { code: "HU", fr: "Hongrie", en: "Hungary", es: "Hungría" },
    Country { code: "ID", fr: "Indonésie", en: "Indonesia", es: "Indonesia" },
    Country { code: "IE", fr: "Irlande", en: "Ireland", es: "Irlanda" },
    Country { code: "IL", fr: "Israël", en: "Israel", es: "Israel" },
    Country { code: "IM", fr: "Île de Man", en: "Isle of Man", es: "Isla de Man" },
    Country { code: "IN", fr: "Inde", en: "India", es: "India" },
    Country { code: "IO", fr: "Territoire britannique de l'océan Indien", en: "British Indian Ocean Territory", es: "Territorio Británico del Océano Índico" },
    Country { code: "IQ", fr: "Irak", en: "Iraq", es: "Irak" },
    Country { code: "IR", fr: "Iran", en: "Iran", es: "Irán" },
    Country { code: "IS", fr: "Islande", en: "Iceland", es: "Islandia" },
    Country { code: "IT", fr: "Italie", en: "Italy", es: "Italia" },
    Country { code: "JE", fr: "Jersey", en: "Jersey", es: "Jersey" },
    Country { code: "JM", fr: "Jamaïque", en: "Jamaica", es: "Jamaica" },
    Country { code: "JO", fr: "Jordanie", en: "Jordan", es: "Jordania" },
    Country { code: "JP", fr: "Japon", en: "Japan", es: "Japón" },
    Country { code: "KE", fr: "Kenya", en: "Kenya", es: "Kenia" },
    Country { code: "KG", fr: "Kirghizistan", en: "Kyrgyzstan", es: "Kirguistán" },
    Country { code: "KH", fr: "Cambodge", en: "Cambodia", es: "Camboya" },
    Country { code: "KI", fr: "Kiribati", en: "Kiribati", es: "Kiribati" },
    Country { code: "KM", fr: "Comores", en: "Comoros", es: "Comoras" },
    Country { code: "KN", fr: "Saint-Christophe-et-Niévès", en: "Saint Kitts and Nevis", es: "San Cristóbal y Nieves" },
    Country { code: "KP", fr: "Corée du Nord", en: "North Korea", es: "Corea del Norte" },
    Country { code: "KR", fr: "Corée du Sud", en: "South Korea", es: "Corea del Sur" },
    Country { code: "KW", fr: "Koweït", en: "Kuwait", es: "Kuwait" },
    Country { code: "KY", fr: "Îles Caïmans", en: "Cayman Islands", es: "Islas Caimán" },
    Country { code: "KZ", fr: "Kazakhstan", en: "Kazakhstan", es: "Kazajistán" },
    Country { code: "LA", fr: "Laos", en: "Laos", es: "Laos" },
    Country { code: "LB", fr: "Liban", en: "Lebanon", es: "Líbano" },
    Country { code: "LC", fr: "Sainte-Lucie", en: "Saint Lucia", es: "Santa Lucía" },
    Country { code: "LI", fr: "Liechtenstein", en: "Liechtenstein", es: "Liechtenstein" },
    Country { code: "LK", fr: "Sri Lanka", en: "Sri Lanka", es: "Sri Lanka" },
    Country { code: "LR", fr: "Liberia", en: "Liberia", es: "Liberia" },
    Country { code: "LS", fr: "Lesotho", en: "Lesotho", es: "Lesoto" },
    Country { code: "LT", fr: "Lituanie", en: "Lithuania", es: "Lituania" },
    Country { code: "LU", fr: "Luxembourg", en: "Luxembourg", es: "Luxemburgo" },
    Country { code: "LV", fr: "Lettonie", en: "Latvia", es: "Letonia" },
    Country { code: "LY", fr: "Libye", en: "Libya", es: "Libia" },
    Country { code: "MA", fr: "Maroc", en: "Morocco", es: "Marruecos" },
    Country { code: "MC", fr: "Monaco", en: "Monaco", es: "Mónaco" },
    Country { code: "MD", fr: "Moldavie", en: "Moldova", es: "Moldavia" },
    Country { code: "ME", fr: "Monténégro", en: "Montenegro", es: "Montenegro" },
    Country { code: "MF", fr: "Saint-Martin", en: "Saint Martin", es: "San Martín" },
    Country { code: "MG", fr: "Madagascar", en: "Madagascar", es: "Madagascar" },
    Country { code: "MH", fr: "Îles Marshall", en: "Marshall Islands", es: "Islas Marshall" },
    Country { code: "MK", fr: "Macédoine du Nord", en: "North Macedonia", es: "Macedonia del Norte" },
    Country { code: "ML", fr: "Mali", en: "Mali", es: "Malí" },
    Country { code: "MM", fr: "Birmanie", en: "Myanmar", es: "Myanmar" },
    Country { code: "MN", fr: "Mongolie", en: "Mongolia", es: "Mongolia" },
    Country { code: "MO", fr: "Macao", en: "Macao", es: "Macao" },
    Country { code: "MP", fr: "Îles Mariannes du Nord", en: "Northern Mariana Islands", es: "Islas Marianas del Norte" },
    Country { code: "MQ", fr: "Martinique", en: "Martinique", es: "Martinica" },
    Country { code: "MR", fr: "Mauritanie", en: "Mauritania", es: "Mauritania" },
    Country { code: "MS", fr: "Montserrat", en: "Montserrat", es: "Montserrat" },
    Country { code: "MT", fr: "Malte", en: "Malta", es: "Malta" },
    Country { code: "MU", fr: "Maurice", en: "Mauritius", es: "Mauricio" },
    Country { code: "MV", fr: "Maldives", en: "Maldives", es: "Maldivas" },
    Country { code: "MW", fr: "Malawi", en: "Malawi", es: "Malaui" },
    Country { code: "MX", fr: "Mexique", en: "Mexico", es: "México" },
    Country { code: "MY", fr: "Malaisie", en: "Malaysia", es: "Malasia" },
    Country { code: "MZ", fr: "Mozambique", en: "Mozambique", es: "Mozambique" },
    Country { code: "NA", fr: "Namibie", en: "Namibia", es: "Namibia" },
    Country { code: "NC", fr: "Nouvelle-Calédonie", en: "New Caledonia", es: "Nueva Caledonia" },
    Country { code: "NE", fr: "Niger", en: "Niger", es: "Níger" },
    Country { code: "NF", fr: "Île Norfolk", en: "Norfolk Island", es: "Isla Norfolk" },
    Country { code: "NG", fr: "Nigeria", en: "Nigeria", es: "Nigeria" },
    Country { code: "NI", fr: "Nicaragua", en: "Nicaragua", es: "Nicaragua" },
    Country { code: "NL", fr: "Pays-Bas", en: "Netherlands", es: "Países Bajos" },
    Country { code: "NO", fr: "Norvège", en: "Norway", es: "Noruega" },
    Country { code: "NP", fr: "Népal", en: "Nepal", es: "Nepal" },
    Country { code: "NR", fr: "Nauru", en: "Nauru", es: "Nauru" },
    Country { code: "NU", fr: "Niue", en: "Niue", es: "Niue" },
    Country { code: "NZ", fr: "Nouvelle-Zélande", en: "New Zealand", es: "Nueva Zelanda" },
    Country { code: "OM", fr: "Oman", en: "Oman", es: "Omán" },
    Country { code: "PA", fr: "Panama", en: "Panama", es: "Panamá" },
    Country { code: "PE", fr: "Pérou", en: "Peru", es: "Perú" },
    Country { code: "PF", fr: "Polynésie française", en: "French Polynesia", es: "Polinesia Francesa" },
    Country { code: "PG", fr: "Papouasie-Nouvelle-Guinée", en: "Papua New Guinea", es: "Papúa Nueva Guinea" },
    Country { code: "PH", fr: "Philippines", en: "Philippines", es: "Filipinas" },
    Country { code: "PK", fr: "Pakistan", en: "Pakistan", es: "Pakistán" },
    Country { code: "PL", fr: "Pologne", en: "Poland", es: "Polonia" },
    Country { code: "PM", fr: "Saint-Pierre-et-Miquelon", en: "Saint Pierre and Miquelon", es: "San Pedro y Miquelón" },
    Country { code: "PN", fr: "Îles Pitcairn", en: "Pitcairn Islands", es: "Islas Pitcairn" },
    Country { code: "PR", fr: "Porto Rico", en: "Puerto Rico", es: "Puerto Rico" },
    Country { code: "PS", fr: "Palestine", en: "Palestine", es: "Palestina" },
    Country { code: "PT", fr: "Portugal", en: "Portugal", es: "Portugal" },
    Country { code: "PW", fr: "Palaos", en: "Palau", es: "Palaos" },
    Country { code: "PY", fr: "Paraguay", en: "Paraguay", es: "Paraguay" },
    Country { code: "QA", fr: "Qatar", en: "Qatar", es: "Catar" },
    Country { code: "RE", fr: "La Réunion", en: "Réunion", es: "Reunión" },
    Country { code: "RO", fr: "Roumanie", en: "Romania", es: "Rumania" },
    Country { code: "RS", fr: "Serbie", en: "Serbia", es: "Serbia" },
    Country { code: "RU", fr: "Russie", en: "Russia", es: "Rusia" },
    Country { code: "RW", fr: "Rwanda", en: "Rwanda", es: "Ruanda" },
    Country { code: "SA", fr: "Arabie saoudite", en: "Saudi Arabia", es: "Arabia Saudita" },
    Country { code: "SB", fr: "Îles Salomon", en: "Solomon Islands", es: "Islas Salomón" },
    Country { code: "SC", fr: "Seychelles", en: "Seychelles", es: "Seychelles" },
    Country { code: "SD", fr: "Soudan", en: "Sudan", es: "Sudán" },
    Country { code: "SE", fr: "Suède", en: "Sweden", es: "Suecia" },
    Country { code: "SG", fr: "Singapour", en: "Singapore", es: "Singapur" },
    Country { code: "SH", fr: "Sainte-Hélène, Ascension et Tristan da Cunha", en: "Saint Helena, Ascension and Tristan da Cunha", es: "Santa Elena, Ascensión y Tristán de Acuña" },
    Country { code: "SI", fr: "Slovénie", en: "Slovenia", es: "Eslovenia" },
    Country { code: "SJ", fr: "Svalbard et Jan Mayen", en: "Svalbard and Jan Mayen", es: "Svalbard y Jan Mayen" },
    Country { code: "SK", fr: "Slovaquie", en: "Slovakia", es: "Eslovaquia" },
    Country { code: "SL", fr: "Sierra Leone", en: "Sierra Leone", es: "Sierra Leona" },
    Country { code: "SM", fr: "Saint-Marin", en: "San Marino", es: "San Marino" },
    Country { code: "SN", fr: "Sénégal", en: "Senegal", es: "Senegal" },
    Country { code: "SO", fr: "Somalie", en: "Somalia", es: "Somalia" },
    Country { code: "SR", fr: "Suriname", en: "Suriname", es: "Surinam" },
    Country { code: "SS", fr: "Soudan du Sud", en: "South Sudan", es: "Sudán del Sur" },
    Country { code: "ST", fr: "Sao Tomé-et-Principe", en: "São Tomé and Príncipe", es: "Santo Tomé y Príncipe" },
    Country { code: "SV", fr: "Salvador", en: "El Salvador", es: "El Salvador" },
    Country { code: "SX", fr: "Saint-Martin (partie néerlandaise)", en: "Sint Maarten", es: "Sint Maarten" },
    Country { code: "SY", fr: "Syrie", en: "Syria", es: "Siria" },
    Country { code: "SZ", fr: "Eswatini", en: "Eswatini", es: "Esuatini" },
    Country { code: "TC", fr: "Îles Turques-et-Caïques", en: "Turks and Caicos Islands", es: "Islas Turcas y Caicos" },
    Country { code: "TD", fr: "Tchad", en: "Chad", es: "Chad" },
    Country { code: "TF", fr: "Terres australes et antarctiques françaises", en: "French Southern Territories", es: "Territorios Australes Franceses" },
    Country { code: "TG", fr: "Togo", en: "Togo", es: "Togo" },
    Country { code: "TH", fr: "Thaïlande", en: "Thailand", es: "Tailandia" },
    Country { code: "TJ", fr: "Tadjikistan", en: "Tajikistan", es: "Tayikistán" },
    Country { code: "TK", fr: "Tokelau", en: "Tokelau", es: "Tokelau" },
    Country { code: "TL", fr: "Timor oriental", en: "Timor-Leste", es: "Timor Oriental" },
    Country { code: "TM", fr: "Turkménistan", en: "Turkmenistan", es: "Turkmenistán" },
    Country { code: "TN", fr: "Tunisie", en: "Tunisia", es: "Túnez" },
    Country { code: "TO", fr: "Tonga", en: "Tonga", es: "Tonga" },
    Country { code: "TR", fr: "Turquie", en: "Turkey", es: "Turquía" },
    Country { code: "TT", fr: "Trinité-et-Tobago", en: "Trinidad and Tobago", es: "Trinidad y Tobago" },
    Country { code: "TV", fr: "Tuvalu", en: "Tuvalu", es: "Tuvalu" },
    Country { code: "TW", fr: "Taïwan", en: "Taiwan", es: "Taiwán" },
    Country { code: "TZ", fr: "Tanzanie", en: "Tanzania", es: "Tanzania" },
    Country { code: "UA", fr: "Ukraine", en: "Ukraine", es: "Ucrania" },
    Country { code: "UG", fr: "Ouganda", en: "Uganda", es: "Uganda" },
    Country { code: "UM", fr: "Îles mineures éloignées des États-Unis", en: "United States Minor Outlying Islands", es: "Islas Ultramarinas Menores de los Estados Unidos" },
    Country { code: "US", fr: "États-Unis", en: "United States", es: "Estados Unidos" },
    Country { code: "UY", fr: "Uruguay", en: "Uruguay", es: "Uruguay" },
    Country { code: "UZ", fr: "Ouzbékistan", en: "Uzbekistan", es: "Uzbekistán" },
    Country { code: "VA", fr: "Vatican", en: "Vatican City", es: "Ciudad del Vaticano" },
    Country { code: "VC", fr: "Saint-Vincent-et-les-Grenadines", en: "Saint Vincent and the Grenadines", es: "San Vicente y las Granadinas" },
    Country { code: "VE", fr: "Venezuela", en: "Venezuela", es: "Venezuela" },
    Country { code: "VG", fr: "Îles Vierges britanniques", en: "British Virgin Islands", es: "Islas Vírgenes Británicas" },
    Country { code: "VI", fr: "Îles Vierges des États-Unis", en: "United States Virgin Islands", es: "Islas Vírgenes de los Estados Unidos" },
    Country { code: "VN", fr: "Viêt Nam", en: "Vietnam", es: "Vietnam" },
    Country { code: "VU", fr: "Vanuatu", en: "Vanuatu", es: "Vanuatu" },
    Country { code: "WF", fr: "Wallis-et-Futuna", en: "Wallis and Futuna", es: "Wallis y Futuna" },
    Country { code: "WS", fr: "Samoa", en: "Samoa", es: "Samoa" },
    Country { code: "YE", fr: "Yémen", en: "Yemen", es: "Yemen" },
    Country { code: "YT", fr: "Mayotte", en: "Mayotte", es: "Mayotte" },
    Country { code: "ZA", fr: "Afrique du Sud", en: "South Africa", es: "Sudáfrica" },
    Country { code: "ZM", fr: "Zambie", en: "Zambia", es: "Zambia" },
    Country { code: "ZW", fr: "Zimbabwe", en: "Zimbabwe", es: "Zimbabue" },
];

/// The country with this code (uppercase), if it is an assigned code.
impl Country {
    /// The name in the interface's language.
    pub fn name(&self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::Fr => self.fr,
            crate::i18n::Lang::En => self.en,
            crate::i18n::Lang::Es => self.es,
        }
    }
}

pub fn find(code: &str) -> Option<&'static Country> {
    COUNTRIES
        .binary_search_by(|c| c.code.cmp(code))
        .ok()
        .map(|i| &COUNTRIES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_all_249_assigned_codes() {
        assert_eq!(COUNTRIES.len(), 249);
    }

    #[test]
    fn codes_are_two_uppercase_ascii_letters() {
        for c in COUNTRIES {
            assert_eq!(c.code.len(), 2, "bad code {:?}", c.code);
            assert!(
                c.code.bytes().all(|b| b.is_ascii_uppercase()),
                "bad code {:?}",
                c.code
            );
        }
    }

    #[test]
    fn codes_are_strictly_increasing() {
        for w in COUNTRIES.windows(2) {
            assert!(
                w[0].code < w[1].code,
                "{} is not before {}",
                w[0].code,
                w[1].code
            );
        }
    }

    #[test]
    fn names_are_not_empty() {
        for c in COUNTRIES {
            assert!(!c.fr.trim().is_empty(), "empty French name for {}", c.code);
            assert!(!c.en.trim().is_empty(), "empty English name for {}", c.code);
            assert!(!c.es.trim().is_empty(), "empty Spanish name for {}", c.code);
        }
    }

    #[test]
    fn find_known_code() {
        let fr = find("FR").expect("FR is assigned");
        assert_eq!(fr.code, "FR");
        assert_eq!(fr.fr, "France");
        assert_eq!(fr.en, "France");
        assert_eq!(fr.es, "Francia");
        assert_eq!(find("AD").map(|c| c.en), Some("Andorra"));
        assert_eq!(find("ZW").map(|c| c.en), Some("Zimbabwe"));
    }

    #[test]
    fn find_unknown_or_lowercase_code() {
        assert_eq!(find("ZZ"), None);
        assert_eq!(find("XK"), None);
        assert_eq!(find("fr"), None);
        assert_eq!(find(""), None);
    }
}
