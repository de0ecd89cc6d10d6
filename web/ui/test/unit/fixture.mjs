// A body of GET api/indicators as the server answers it (the contract of
// web/handle_api_catalogue.go), trimmed to a few indicators.

const FAR = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];
const text = (en, ru = `${en} (ru)`, kk = `${en} (kk)`) => ({ kk, ru, en });

export function catalogueBody() {
  return {
    run_id: 3,
    synthetic: false,
    load_hint: 'aimaq import osm kazakhstan-latest.osm.pbf && aimaq compute',
    indicators: [
      {
        name: 'population_density', unit: 'people/km²', direction: 'neutral',
        title: text('Population density', 'Плотность населения', 'Халық тығыздығы'),
        description: text('People per km²'), levels: ['district', 'oblast', 'macroregion', 'agglomeration', 'country'],
        source: 'statistics', provenance: ['estimated'], available: true,
      },
      {
        name: 'school_km_mean', unit: 'km', direction: 'lower-better', title: text('Distance to a school'),
        description: text('Population-weighted mean'), levels: ['district', 'oblast', 'macroregion', 'agglomeration', 'country'],
        source: 'compute', provenance: [], available: false,
        needs: 'an OpenStreetMap extract (facilities, roads) and aimaq compute',
      },
      {
        name: 'schools_per_10k', unit: 'per 10,000 people', direction: 'higher-better', title: text('Schools per 10,000'),
        description: text('Schools'), levels: ['oblast', 'country'], source: 'statistics', provenance: ['statistics'], available: true,
      },
      {
        name: 'oblast_centre_km_mean', unit: 'km', direction: 'lower-better', title: text('Distance to the oblast centre'),
        description: text('Mean'), levels: ['district', 'oblast', 'macroregion', 'agglomeration', 'country'],
        source: 'compute', provenance: ['straight-line'], available: true,
      },
    ],
    levels: [
      { name: 'district', title: text('District', 'Район', 'Аудан'), layer: 'districts', map: true, disparity: true },
      { name: 'oblast', title: text('Oblast', 'Область', 'Облыс'), layer: 'oblasts', map: true, disparity: true },
      { name: 'macroregion', title: text('Macroregion', 'Макрорегион', 'Макроөңір'), layer: 'groups', map: true, disparity: false },
      { name: 'agglomeration', title: text('Agglomeration', 'Агломерация', 'Агломерация'), layer: 'groups', map: false, disparity: false },
      { name: 'country', title: text('Country', 'Страна', 'Ел'), layer: '', map: false, disparity: false },
    ],
    classification: {
      methods: ['jenks', 'quantile', 'equal', 'headtail', 'manual'],
      default_method: 'jenks', min_classes: 3, max_classes: 9, default_classes: 5,
    },
    thresholds: { school_km: 3, clinic_min: 30, hospital_min: 60, paved_road_km: 1 },
    groups: [
      { code: 'western', kind: 'macroregion', name: text('Western', 'Западный', 'Батыс'), color: '#e08214' },
      { code: 'northern', kind: 'macroregion', name: text('Northern', 'Северный', 'Солтүстік'), color: '#542788' },
      { code: 'central_eastern', kind: 'macroregion', name: text('Central-Eastern'), color: '#c51b7d' },
      { code: 'southern', kind: 'macroregion', name: text('Southern'), color: '#8c510a' },
      { code: 'astana_agglomeration', kind: 'agglomeration', name: text('Astana agglomeration'), color: '#000000' },
      { code: 'almaty_agglomeration', kind: 'agglomeration', name: text('Almaty agglomeration'), color: '#b2182b' },
    ],
    settlement_indicators: [
      { name: 'district_centre_km', unit: 'km', title: text('Distance to the district centre'), needs: [], breaks: [10, 25, 50, 100, 200], colors: FAR },
      { name: 'district_centre_min', unit: 'min', title: text('Travel time to the district centre'), needs: [], breaks: [], colors: [] },
      { name: 'school_km', unit: 'km', title: text('Distance to a school', 'Расстояние до школы', 'Мектепке баратын қашықтық'), needs: ['facilities', 'roads'], breaks: [1, 3, 5, 10, 25], colors: FAR },
      { name: 'school_min', unit: 'min', title: text('Travel time to a school'), needs: ['facilities', 'roads'] },
      { name: 'srs_score', unit: 'share', title: text('Regional standards met'), needs: ['facilities', 'roads'], breaks: [0.34, 0.67, 0.999], colors: ['#d7191c', '#fdae61', '#a6d96a', '#1a9641'] },
    ],
  };
}
